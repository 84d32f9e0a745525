/**
 * The writing half of `serialize.ts`: walks a value once, appending to one
 * growable buffer that is reused between values, and names the path of the
 * first part that cannot be cloned.
 */
import {
  UNDEFINED, NULL, TRUE, FALSE, INT32, FLOAT64, BIGINT, STRING8, STRING32, ARRAY, OBJECT, DATE,
  MAP, SET, REGEXP, ERROR, ARRAY_BUFFER, VIEW, REF, VIEW_KIND, SHORT_STRING, STRING16, HOLE, BOXED, BOX_CTORS,
} from './serialize-format.js';
import { isShareable } from './shared.js';

const encoder = new TextEncoder();

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` has no lone surrogate (String.prototype.isWellFormed, ES2024, where the engine has it). */
export function wellFormed(s: string): boolean {
  const own = (s as { isWellFormed?: () => boolean }).isWellFormed;
  return typeof own === 'function' ? own.call(s) : !LONE_SURROGATE.test(s);
}

/** Thrown inside the writer; collects the path on the way out. */
export class Uncloneable extends Error {
  readonly segments: string[] = [];
  constructor(readonly what: string) {
    super(what);
  }
}

function along(error: unknown, segment: string): unknown {
  if (error instanceof Uncloneable) error.segments.push(segment);
  return error;
}

function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describeUncloneable(value: object): string {
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
    return 'SharedArrayBuffer: shared memory cannot be copied into a queue; pass it as a task argument';
  }
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  const name = typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'an object with a custom prototype';
  if (isShareable(value)) {
    return `${name}: mp's shared objects reach a worker as a task or Process argument, not through a queue`;
  }
  return name;
}


/** A Map key for an error's path: primitives as written, objects by kind (never by calling their toString). */
function showKey(key: unknown): string {
  if (typeof key === 'object' && key !== null) return Array.isArray(key) ? '[…]' : '{…}';
  return typeof key === 'symbol' ? key.toString() : String(key);
}

export class Writer {
  bytes = new Uint8Array(4096);
  view = new DataView(this.bytes.buffer);
  pos = 0;
  nextId = 0;
  readonly seen = new Map<object, number>();

  reset(): void {
    this.pos = 0;
    this.nextId = 0;
    if (this.seen.size > 0) this.seen.clear();
    if (this.bytes.length > 1 << 24) {
      this.bytes = new Uint8Array(4096);
      this.view = new DataView(this.bytes.buffer);
    }
  }

  ensure(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.bytes[this.pos++] = b;
  }

  u32(n: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, n, true);
    this.pos += 4;
  }

  f64(n: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
  }

  /** A string with its tag: short ones hand-encoded (faster than a TextEncoder call), long ones by `encodeInto`. */
  string(s: string): void {
    const n = s.length;
    if (n <= SHORT_STRING) {
      this.ensure(2 + n * 3);
      const b = this.bytes;
      b[this.pos] = STRING8;
      let p = this.pos + 2;
      for (let i = 0; i < n; i++) {
        let c = s.charCodeAt(i);
        if (c < 0x80) {
          b[p++] = c;
        } else if (c < 0x800) {
          b[p++] = 0xc0 | (c >> 6);
          b[p++] = 0x80 | (c & 0x3f);
        } else {
          if (c >= 0xd800 && c <= 0xdfff) {
            const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
            if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
              c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
              i++;
              b[p++] = 0xf0 | (c >> 18);
              b[p++] = 0x80 | ((c >> 12) & 0x3f);
              b[p++] = 0x80 | ((c >> 6) & 0x3f);
              b[p++] = 0x80 | (c & 0x3f);
              continue;
            }
            // A lone surrogate: UTF-8 cannot carry it (it would arrive as U+FFFD), so the code units go as they are.
            this.string16(s);
            return;
          }
          b[p++] = 0xe0 | (c >> 12);
          b[p++] = 0x80 | ((c >> 6) & 0x3f);
          b[p++] = 0x80 | (c & 0x3f);
        }
      }
      b[this.pos + 1] = p - this.pos - 2;
      this.pos = p;
      return;
    }
    if (!wellFormed(s)) {
      this.string16(s);
      return;
    }
    this.ensure(5 + n * 3);
    this.bytes[this.pos] = STRING32;
    const { written } = encoder.encodeInto(s, this.bytes.subarray(this.pos + 5));
    this.view.setUint32(this.pos + 1, written, true);
    this.pos += 5 + written;
  }

  /** A string with a lone surrogate: tag, its length in code units, then each unit little-endian. */
  string16(s: string): void {
    const n = s.length;
    this.ensure(5 + n * 2);
    const b = this.bytes;
    b[this.pos] = STRING16;
    this.view.setUint32(this.pos + 1, n, true);
    let p = this.pos + 5;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      b[p++] = c & 0xff;
      b[p++] = c >> 8;
    }
    this.pos = p;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v && !(v === 0 && 1 / v < 0)) {
          this.ensure(5);
          this.bytes[this.pos] = INT32;
          this.view.setInt32(this.pos + 1, v, true);
          this.pos += 5;
        } else {
          this.byte(FLOAT64);
          this.f64(v);
        }
        return;
      case 'string':
        return this.string(v);
      case 'boolean':
        return this.byte(v ? TRUE : FALSE);
      case 'undefined':
        return this.byte(UNDEFINED);
      case 'bigint':
        return this.bigint(v);
      case 'object':
        if (v === null) return this.byte(NULL);
        return this.object(v);
      default:
        throw new Uncloneable(typeof v);
    }
  }

  bigint(v: bigint): void {
    const negative = v < 0n;
    let rest = negative ? -v : v;
    const words: bigint[] = [];
    while (rest > 0n) {
      words.push(rest & 0xffffffffffffffffn);
      rest >>= 64n;
    }
    this.ensure(6 + words.length * 8);
    this.bytes[this.pos++] = BIGINT;
    this.bytes[this.pos++] = negative ? 1 : 0;
    this.u32(words.length);
    for (const w of words) {
      this.view.setBigUint64(this.pos, w, true);
      this.pos += 8;
    }
  }

  object(o: object): void {
    const id = this.seen.get(o);
    if (id !== undefined) {
      this.byte(REF);
      this.u32(id);
      return;
    }
    this.seen.set(o, this.nextId++);
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === Object.prototype || proto === null) return this.plain(o as Record<string, unknown>);
    if (Array.isArray(o)) return this.array(o as unknown[]);
    if (ArrayBuffer.isView(o)) return this.arrayView(o);
    if (o instanceof Date) {
      this.byte(DATE);
      return this.f64(o.getTime());
    }
    if (o instanceof Map) return this.map(o as Map<unknown, unknown>);
    if (o instanceof Set) return this.set(o as Set<unknown>);
    if (o instanceof RegExp) {
      this.byte(REGEXP);
      this.string(o.source);
      return this.string(o.flags);
    }
    if (o instanceof Error) return this.error(o);
    if (o instanceof ArrayBuffer) return this.arrayBuffer(new Uint8Array(o));
    const boxed = BOX_CTORS.findIndex((Box) => o instanceof Box);
    if (boxed >= 0) {
      this.byte(BOXED);
      this.byte(boxed);
      // The wrapped value itself, as structuredClone takes it: not an own valueOf the object may have.
      return this.value((BOX_CTORS[boxed]!.prototype.valueOf as () => unknown).call(o));
    }
    // An ordinary object of a program's class goes as structuredClone (and so a task's argument) sends it: its own
    // enumerable properties, as a plain object (a class cannot cross). mp's shared objects are refused, saying where
    // they go instead; built-ins with inner state (WeakMap, Promise, a generator: their tag is not Object) too.
    if (!isShareable(o) && Object.prototype.toString.call(o) === '[object Object]') {
      return this.plain(o as Record<string, unknown>);
    }
    throw new Uncloneable(describeUncloneable(o));
  }

  plain(o: Record<string, unknown>): void {
    this.byte(OBJECT);
    this.ensure(4);
    const countAt = this.pos;
    this.pos += 4;
    let count = 0;
    let key = '';
    try {
      for (key in o) {
        if (!Object.hasOwn(o, key)) continue;
        this.string(key);
        this.value(o[key]);
        count++;
      }
    } catch (error) {
      throw along(error, keySegment(key));
    }
    this.view.setUint32(countAt, count, true);
  }

  array(a: unknown[]): void {
    const n = a.length;
    this.byte(ARRAY);
    this.u32(n);
    let i = 0;
    try {
      for (; i < n; i++) {
        const v = a[i];
        // A hole reads as undefined; only then is it worth asking whether the index is there.
        if (v === undefined && !(i in a)) this.byte(HOLE);
        else this.value(v);
      }
    } catch (error) {
      throw along(error, `[${i}]`);
    }
  }

  map(m: Map<unknown, unknown>): void {
    this.byte(MAP);
    this.u32(m.size);
    // The path segment is made only on failure: String(key) throws for a null-prototype object key.
    let key: unknown;
    let inKey = false;
    try {
      for (const [k, v] of m) {
        key = k;
        inKey = true;
        this.value(k);
        inKey = false;
        this.value(v);
      }
    } catch (error) {
      throw along(error, inKey ? '.<key>' : `.get(${showKey(key)})`);
    }
  }

  set(s: Set<unknown>): void {
    this.byte(SET);
    this.u32(s.size);
    try {
      for (const v of s) this.value(v);
    } catch (error) {
      throw along(error, '.<item>');
    }
  }

  error(e: Error): void {
    this.byte(ERROR);
    this.string(String(e.name));
    this.string(String(e.message));
    const stack = typeof e.stack === 'string' ? e.stack : undefined;
    this.value(stack);
    const keys = Object.keys(e).filter((k) => k !== 'name' && k !== 'message' && k !== 'stack' && k !== 'cause');
    const hasCause = Object.hasOwn(e, 'cause');
    this.u32(keys.length + (hasCause ? 1 : 0));
    let key = '';
    try {
      for (key of keys) {
        this.string(key);
        this.value((e as unknown as Record<string, unknown>)[key]);
      }
      if (hasCause) {
        key = 'cause';
        this.string(key);
        this.value(e.cause);
      }
    } catch (error) {
      throw along(error, keySegment(key));
    }
  }

  arrayBuffer(bytes: Uint8Array): void {
    this.byte(ARRAY_BUFFER);
    this.u32(bytes.length);
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  arrayView(v: ArrayBufferView): void {
    const name = v instanceof DataView ? 'DataView' : (v as unknown as Record<symbol, string>)[Symbol.toStringTag];
    const kind = name === undefined ? undefined : VIEW_KIND[name];
    if (kind === undefined) throw new Uncloneable(String(name));
    const buffer = v.buffer;
    if (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer) {
      throw new Uncloneable(`${name} over a SharedArrayBuffer: shared memory cannot be copied into a queue; pass it as a task argument`);
    }
    const length = kind === 11 ? v.byteLength : (v as Uint8Array).length;
    this.byte(VIEW);
    this.byte(kind);
    if (v.byteOffset === 0 && v.byteLength === buffer.byteLength) {
      this.object(buffer);
      this.u32(0);
    } else {
      // Only the bytes this view sees; the copy takes an id, as the reader registers it.
      this.nextId++;
      this.arrayBuffer(new Uint8Array(buffer, v.byteOffset, v.byteLength));
      this.u32(0);
    }
    this.u32(length);
  }
}

