/**
 * Fuzzing what reads bytes: the shared-memory serializer behind Queue and Pipe.
 *
 * 1. Arbitrary structured-cloneable values — cycles, shared references, Map/Set, Date, RegExp,
 *    errors with causes, bigint, -0, NaN, sparse arrays, typed arrays and views over parts of
 *    buffers, long and non-BMP strings, lone surrogates — come out of `serialize`/`deserialize`,
 *    a `Queue` and a `Pipe` equal to what `structuredClone` gives, but for the differences
 *    serialize.ts documents (a view over part of a buffer arrives with just the bytes it sees, an
 *    error keeps its own properties). Holes and lone surrogates arrive as they were.
 * 2. Random bytes, and every truncation and single-byte corruption of valid encodings, fed to the
 *    reader end in a clear `TypeError` (or a value): no hang, no crash, no other error, and no
 *    allocation larger than the input justifies.
 *
 * `MP_FUZZ_SEED` and `MP_FUZZ_RUNS` (see model-suite.ts) replay or widen a run.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deserialize, serialize } from '../src/internal/serialize.ts';
import { Queue } from '../src/sync/queue.ts';
import { Pipe } from '../src/sync/pipe.ts';
import { fuzzSettings } from '../src/conformance/model-suite.ts';

const settings = fuzzSettings(200);
const params = { seed: settings.seed, numRuns: settings.runs, ...(settings.path ? { path: settings.path } : {}) };
/** A test's time limit, grown with the number of runs (`pnpm fuzz` asks for many). */
const limit = 30_000 + settings.runs * 200;

// ---- values ----

const VIEWS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView] as const;

/** A typed array or DataView over all or part of a fresh buffer, or several views sharing one. */
const viewArb = fc
  .record({
    bytes: fc.uint8Array({ maxLength: 96 }),
    kind: fc.integer({ min: 0, max: VIEWS.length - 1 }),
    from: fc.nat(),
    count: fc.nat(),
    whole: fc.boolean(),
  })
  .map(({ bytes, kind, from, count, whole }) => {
    const Ctor = VIEWS[kind]!;
    const size = Ctor === DataView ? 1 : (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const buffer = bytes.slice().buffer;
    const max = Math.floor(buffer.byteLength / size);
    if (whole || max === 0) {
      return Ctor === DataView ? new DataView(buffer) : new (Ctor as unknown as new (b: ArrayBuffer, o: number, l: number) => ArrayBufferView)(buffer, 0, max);
    }
    const start = from % max;
    const length = count % (max - start + 1);
    return new (Ctor as unknown as new (b: ArrayBuffer, o: number, l: number) => ArrayBufferView)(buffer, start * size, length);
  });

const stringArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }), // non-BMP characters
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }), // lone surrogates
  fc.string({ unit: 'grapheme', minLength: 80, maxLength: 400 }),
  fc.nat({ max: 50_000 }).map((n) => 'é😀'.repeat(n)), // long, every width
);

const primitiveArb = fc.oneof(
  fc.constantFrom(undefined, null, true, false, NaN, -0, 0, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
  stringArb,
);

const ERRORS = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError] as const;

const { value: valueArb } = fc.letrec<{ value: unknown; leaf: unknown; node: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('node')),
  leaf: fc.oneof(
    { weight: 4, arbitrary: primitiveArb },
    { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
    { weight: 1, arbitrary: fc.constantFrom(/a+b/giu, /^x$/m, /[\ud800-\udfff]/u, new RegExp('', 'y')) },
    { weight: 1, arbitrary: viewArb },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => b.slice().buffer) },
    // Primitive wrappers, which structuredClone copies too.
    { weight: 1, arbitrary: fc.oneof(fc.double(), stringArb, fc.boolean(), fc.bigInt()).map((v) => Object(v) as object) },
  ),
  node: fc.oneof(
    fc.array(tie('value'), { maxLength: 6 }),
    fc.sparseArray(tie('value'), { maxLength: 20, maxNumElements: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString')), tie('value'), { maxKeys: 5 }),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => new Set(items)),
    fc
      .record({ kind: fc.integer({ min: 0, max: ERRORS.length - 1 }), message: fc.string(), cause: fc.option(tie('value')), code: fc.option(tie('value')) })
      .map(({ kind, message, cause, code }) => {
        const e = cause === null ? new ERRORS[kind]!(message) : new ERRORS[kind]!(message, { cause });
        if (code !== null) (e as Error & { code?: unknown }).code = code;
        return e;
      }),
  ),
}));

/** Containers of a value, for adding cycles and shared references. */
function containers(root: unknown): object[] {
  const out: object[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v) || v instanceof Map || v instanceof Set || (Object.getPrototypeOf(v) ?? Object.prototype) === Object.prototype || v instanceof Error) out.push(v);
    if (v instanceof Map) {
      for (const [k, x] of v) {
        visit(k);
        visit(x);
      }
    }
    else if (v instanceof Set) for (const x of v) visit(x);
    else if (v instanceof Error) {
      visit(v.cause);
      visit((v as { code?: unknown }).code);
    }
    else if (!ArrayBuffer.isView(v)) for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k]);
  };
  visit(root);
  return out;
}

/** A value with some of its containers made to hold others (or themselves): shared references and cycles. */
const graphArb = fc.tuple(fc.array(valueArb, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 3 })), { maxLength: 4 })).map(([roots, links]) => {
  const root: unknown[] = roots;
  const all = containers(root);
  for (const [a, b, key] of links) {
    const from = all[a % all.length]!;
    const to = all[b % all.length]!;
    if (Array.isArray(from)) from.push(to);
    else if (from instanceof Map) from.set(key, to);
    else if (from instanceof Set) from.add(to);
    else if (from instanceof Error) (from as Error & { link?: unknown }).link = to;
    else (from as Record<string, unknown>)[`link${key}`] = to;
  }
  return root;
});

// ---- equality with structuredClone's result, but for the documented differences ----

/** structuredClone's copy, or the value itself where V8's own clone fails (an error inside a cycle). */
function cloned(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}


/** Why `got` (mp's copy) differs from `want` (structuredClone's), or undefined. `orig` is the value sent. */
function differs(got: unknown, want: unknown, orig: unknown, path = 'value', pairs = new Map<unknown, unknown>()): string | undefined {
  if (typeof want === 'string') return got === want ? undefined : `${path}: string differs`;
  if (typeof want !== 'object' || want === null) return Object.is(got, want) ? undefined : `${path}: ${String(got)} !== ${String(want)}`;
  if (typeof got !== 'object' || got === null) return `${path}: expected an object, got ${String(got)}`;
  if (pairs.has(want)) return pairs.get(want) === got ? undefined : `${path}: a shared or cyclic reference was not kept`;
  pairs.set(want, got);
  // A null-prototype object arrives as a plain one, as from structuredClone.
  const proto = (v: object): unknown => Object.getPrototypeOf(v) ?? Object.prototype;
  if (proto(got) !== proto(want)) return `${path}: prototype differs`;
  if (want instanceof Number || want instanceof String || want instanceof Boolean || want instanceof BigInt) {
    return Object.is((got as { valueOf(): unknown }).valueOf(), want.valueOf()) ? undefined : `${path}: wrapped value differs`;
  }
  if (ArrayBuffer.isView(want)) {
    const g = got as ArrayBufferView;
    if (g.byteLength !== want.byteLength) return `${path}: byteLength ${g.byteLength} !== ${want.byteLength}`;
    const a = new Uint8Array(g.buffer, g.byteOffset, g.byteLength);
    const b = new Uint8Array(want.buffer, want.byteOffset, want.byteLength);
    if (!a.every((x, i) => x === b[i])) return `${path}: bytes differ`;
    // A view over its whole buffer shares it with every other reference to that buffer.
    if (want.byteOffset === 0 && want.byteLength === want.buffer.byteLength) return differs(g.buffer, want.buffer, (orig as ArrayBufferView).buffer, `${path}.buffer`, pairs);
    return g.byteOffset === 0 && g.byteLength === g.buffer.byteLength ? undefined : `${path}: a partial view should arrive with its own bytes only`;
  }
  if (want instanceof ArrayBuffer) {
    const a = new Uint8Array(got as ArrayBuffer);
    const b = new Uint8Array(want);
    return a.length === b.length && a.every((x, i) => x === b[i]) ? undefined : `${path}: buffer differs`;
  }
  if (want instanceof Date) return Object.is((got as Date).getTime(), want.getTime()) ? undefined : `${path}: date differs`;
  if (want instanceof RegExp) return (got as RegExp).source === want.source && (got as RegExp).flags === want.flags ? undefined : `${path}: regexp differs`;
  if (want instanceof Map) {
    const g = [...(got as Map<unknown, unknown>)];
    const w = [...want];
    const o = [...(orig as Map<unknown, unknown>)];
    if (g.length !== w.length) return `${path}: map size differs`;
    for (let i = 0; i < w.length; i++) {
      const d = differs(g[i]![0], w[i]![0], o[i]![0], `${path}.<key ${i}>`, pairs) ?? differs(g[i]![1], w[i]![1], o[i]![1], `${path}.<value ${i}>`, pairs);
      if (d) return d;
    }
    return undefined;
  }
  if (want instanceof Set) {
    const g = [...(got as Set<unknown>)];
    const w = [...want];
    const o = [...(orig as Set<unknown>)];
    if (g.length !== w.length) return `${path}: set size differs`;
    for (let i = 0; i < w.length; i++) {
      const d = differs(g[i], w[i], o[i], `${path}.<item ${i}>`, pairs);
      if (d) return d;
    }
    return undefined;
  }
  if (want instanceof Error) {
    const g = got as Error;
    const e = orig as Error & Record<string, unknown>;
    if (g.name !== want.name || g.message !== want.message) return `${path}: error ${g.name}: ${g.message} !== ${want.name}: ${want.message}`;
    if ('cause' in want !== 'cause' in g) return `${path}: cause kept by one side only`;
    if ('cause' in want) {
      const d = differs(g.cause, want.cause, e.cause, `${path}.cause`, pairs);
      if (d) return d;
    }
    // structuredClone drops an error's own properties; mp keeps them: compared with the original's.
    for (const key of Object.keys(e)) {
      if (key === 'cause') continue;
      const d = differs((g as unknown as Record<string, unknown>)[key], e[key], e[key], `${path}.${key}`, pairs);
      if (d) return d;
    }
    return undefined;
  }
  if (Array.isArray(want)) {
    const g = got as unknown[];
    if (g.length !== want.length) return `${path}: length ${g.length} !== ${want.length}`;
    const o = orig as unknown[];
    for (let i = 0; i < want.length; i++) {
      // A hole arrives as a hole.
      if (!(i in want)) {
        if (i in g) return `${path}[${i}]: a hole arrived as ${String(g[i])}`;
        continue;
      }
      const d = differs(g[i], want[i], o[i], `${path}[${i}]`, pairs);
      if (d) return d;
    }
    return undefined;
  }
  const g = got as Record<string, unknown>;
  const w = want as Record<string, unknown>;
  const o = orig as Record<string, unknown>;
  const gk = Object.keys(g);
  const wk = Object.keys(w);
  if (gk.join('\0') !== wk.join('\0')) return `${path}: keys ${JSON.stringify(gk)} !== ${JSON.stringify(wk)}`;
  for (const k of wk) {
    const d = differs(g[k], w[k], o[k], `${path}[${JSON.stringify(k)}]`, pairs);
    if (d) return d;
  }
  return undefined;
}

describe('serializer fuzz: values round-trip like structuredClone', () => {
  it(`serialize/deserialize (${params.numRuns} values)`, () => {
    fc.assert(
      fc.property(graphArb, (value) => {
        const d = differs(deserialize(serialize(value)), cloned(value), value);
        if (d) throw new Error(d);
      }),
      params,
    );
  }, limit);

  it(`through a Queue (${params.numRuns} values)`, async () => {
    const q = new Queue<unknown>({ bufferSize: 1 << 22 });
    await fc.assert(
      fc.asyncProperty(graphArb, async (value) => {
        await q.put(value);
        const d = differs(await q.get({ timeout: 5_000 }), cloned(value), value);
        if (d) throw new Error(d);
      }),
      params,
    );
  }, limit);

  it(`through a Pipe (${params.numRuns} values)`, async () => {
    const [a, b] = Pipe<unknown>({ bufferSize: 1 << 22 });
    await fc.assert(
      fc.asyncProperty(graphArb, async (value) => {
        await a.send(value);
        const d = differs(await b.recv({ timeout: 5_000 }), cloned(value), value);
        if (d) throw new Error(d);
      }),
      params,
    );
  }, limit);
});

// ---- bytes ----

let badInputs = 0;

/** Feeds `bytes` to the reader: it must return a value or throw a TypeError that says the data is corrupt. */
function read(bytes: Uint8Array): void {
  badInputs++;
  const t0 = performance.now();
  try {
    deserialize(bytes);
  } catch (error) {
    if (!(error instanceof TypeError) || !/^corrupt serialized data/.test(error.message)) {
      throw new Error(`bytes [${[...bytes.subarray(0, 32)].join(',')}${bytes.length > 32 ? ',…' : ''}] (${bytes.length}) gave ${String(error)}`, { cause: error });
    }
  }
  const ms = performance.now() - t0;
  // Guards against a reader that believes a corrupt length (a loop or an allocation of billions): that takes far
  // longer than this. Not a speed test: 187 KB read in 260 ms once under CI load, with a limit of 250 ms.
  if (ms > 5000) throw new Error(`reading ${bytes.length} bytes took ${ms.toFixed(0)} ms`);
}

describe('serializer fuzz: bytes the reader is given', () => {
  it(`random byte strings end in a value or a clear TypeError (${params.numRuns * 5})`, () => {
    const tagged = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.uint8Array({ maxLength: 64 })).map(([tag, rest]) => Uint8Array.of(tag, ...rest));
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 256 }), tagged), (bytes) => read(bytes)), { ...params, numRuns: params.numRuns * 5 });
  }, limit);

  it(`every truncation and single-byte change of a valid encoding is refused clearly (${params.numRuns} values)`, () => {
    fc.assert(
      fc.property(graphArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (value, at, byte) => {
        const bytes = serialize(value);
        for (let n = 0; n < bytes.length; n += Math.max(1, Math.floor(bytes.length / 64))) {
          const cut = bytes.slice(0, n);
          badInputs++;
          try {
            deserialize(cut);
          } catch (error) {
            if (error instanceof TypeError && /^corrupt serialized data/.test(error.message)) continue;
            throw new Error(`a truncation to ${n} of ${bytes.length} bytes gave ${String(error)}`, { cause: error });
          }
          throw new Error(`a truncation to ${n} of ${bytes.length} bytes was read as a value`);
        }
        if (bytes.length > 0) {
          const changed = bytes.slice();
          changed[at % bytes.length] = byte;
          read(changed);
        }
      }),
      params,
    );
  }, limit);

  it('lengths that claim more than the input holds are refused before anything is allocated', () => {
    const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
    const huge = 0xfffffff0;
    const cases: number[][] = [
      [9, ...u32(huge)], // array of 4 billion
      [9, ...u32(30_000_000)], // array of 30 million: a dense allocation of 240 MB if trusted
      [10, ...u32(huge)], // object
      [12, ...u32(huge)], // map
      [13, ...u32(huge)], // set
      [6, 0, ...u32(huge)], // bigint of 4 billion words
      [8, ...u32(huge)], // string
      [16, ...u32(huge)], // array buffer
      [17, 1, 16, ...u32(4), 1, 2, 3, 4, ...u32(0), ...u32(huge)], // view longer than its buffer
      [17, 99, 16, ...u32(0), ...u32(0), ...u32(0)], // unknown view kind
      [18, ...u32(5)], // reference to nothing
    ];
    const before = process.memoryUsage();
    for (const c of cases) read(Uint8Array.from(c));
    const after = process.memoryUsage();
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 << 20);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(64 << 20);
  });

  it('nesting deeper than the stack allows is refused clearly', () => {
    const depth = 200_000;
    const bytes = new Uint8Array(depth * 5 + 1);
    for (let i = 0; i < depth; i++) bytes.set([9, 1, 0, 0, 0], i * 5);
    read(bytes);
  });

  it('counted', () => {
    expect(badInputs).toBeGreaterThan(0);
    console.log(`serializer fuzz: ${badInputs} bad byte strings read`);
  });
});

describe('serializer regressions found by the fuzzers', () => {
  it('a Map whose key is a null-prototype object round-trips (the writer called String(key) on every key)', () => {
    const key = Object.create(null) as Record<string, number>;
    key.a = 1;
    const out = deserialize(serialize(new Map([[key, 2]]))) as Map<unknown, unknown>;
    expect([...out]).toEqual([[{ a: 1 }, 2]]);
  });

  it('bytes cut short inside a number end in "corrupt serialized data", not a DataView RangeError', () => {
    expect(() => deserialize(Uint8Array.of(4))).toThrow(/^corrupt serialized data/);
    expect(() => deserialize(Uint8Array.of(4))).toThrow(TypeError);
  });
});
