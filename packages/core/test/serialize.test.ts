import { describe, expect, it } from 'vitest';
import { deserialize, encode, serialize } from '../src/internal/serialize.ts';
import { Empty, RemoteError } from '../src/errors.ts';

const roundTrip = <T>(value: T): T => deserialize(serialize(value)) as T;

describe('serialize', () => {
  it('round-trips primitives, including NaN, -0, Infinity and bigints', () => {
    for (const v of [undefined, null, true, false, 0, 1, -1, 2 ** 31, -(2 ** 31), 0.5, 1e300, Number.MAX_SAFE_INTEGER, Infinity, -Infinity]) {
      expect(roundTrip(v)).toBe(v);
    }
    expect(roundTrip(NaN)).toBeNaN();
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    for (const v of [0n, 1n, -1n, 2n ** 64n, -(2n ** 200n) + 7n, 0xffffffffffffffffn]) expect(roundTrip(v)).toBe(v);
  });

  it('round-trips strings of every UTF-8 width, short and long', () => {
    const samples = ['', 'a', 'héllo', '日本語', '😀 emoji', 'x'.repeat(85), 'é'.repeat(85), 'y'.repeat(86), '€'.repeat(10_000)];
    for (const s of samples) expect(roundTrip(s)).toBe(s);
    // Lone surrogates, which UTF-8 cannot carry, arrive as they were (structuredClone keeps them too), in short
    // and long strings, keys, error messages and Map keys; well-formed strings keep their UTF-8 encoding.
    for (const s of ['a\ud800b', '\udc00', 'x\udbff', 'z'.repeat(200) + '\ud800', '\ud800'.repeat(5000) + 'é']) {
      expect(roundTrip(s)).toBe(s);
      expect(roundTrip({ [s]: s })).toEqual({ [s]: s });
      expect(roundTrip(new Map([[s, [s]]]))).toEqual(new Map([[s, [s]]]));
      expect(roundTrip<Error>(new Error(s)).message).toBe(s);
    }
    expect(serialize('😀'.repeat(40)).length).toBeLessThan(200);
  });

  it('round-trips arrays, plain objects, Date, Map, Set and RegExp', () => {
    const value = {
      list: [1, 'two', [3], { four: 4 }],
      when: new Date(1_700_000_000_000),
      invalid: new Date(NaN),
      map: new Map<unknown, unknown>([['a', 1], [2, { b: true }]]),
      set: new Set([1, 'x', null]),
      re: /a+b/giu,
      'key with spaces': 1,
      nested: { deeper: { deepest: [undefined, null] } },
    };
    expect(roundTrip(value)).toEqual(value);
    const none = Object.create(null) as Record<string, number>;
    none.a = 1;
    expect(roundTrip(none)).toEqual({ a: 1 });
  });

  it('keeps holes and primitive wrappers as structuredClone does, and a __proto__ key as data', () => {
    // eslint-disable-next-line no-sparse-arrays
    const holey = roundTrip([1, , 3, undefined, , ]);
    expect(holey.length).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => i in holey)).toEqual([true, false, true, true, false]);
    expect(roundTrip(new Array(3))).toEqual(structuredClone(new Array(3)));
    const boxes = [new Number(-0), new String('s\ud800'), new Boolean(false), Object(2n ** 70n) as object];
    const back = roundTrip<[object[], object]>([boxes, boxes[1]!]);
    expect(back[0]).toEqual(structuredClone(boxes));
    expect(back[0].map((b) => typeof b)).toEqual(['object', 'object', 'object', 'object']);
    expect(back[1]).toBe(back[0][1]);
    expect(Object.is(back[0][0]!.valueOf(), -0)).toBe(true);
    // The wrapped value, as structuredClone takes it, not what an own valueOf says.
    const liar = Object.assign(new Number(3), { valueOf: () => 9 });
    expect(roundTrip(liar).valueOf()).toBe(structuredClone(liar).valueOf());
    const tricky = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const data = roundTrip(tricky);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toEqual({ polluted: true });
  });

  it('round-trips ArrayBuffer, every typed array and DataView', () => {
    const buffer = new Uint8Array([1, 2, 3, 255]).buffer;
    expect(new Uint8Array(roundTrip(buffer))).toEqual(new Uint8Array([1, 2, 3, 255]));
    const views = [
      new Int8Array([-1, 2]), new Uint8Array([1, 2]), new Uint8ClampedArray([3]), new Int16Array([-300]),
      new Uint16Array([60_000]), new Int32Array([-5]), new Uint32Array([4e9]), new Float32Array([1.5]),
      new Float64Array([Math.PI]), new BigInt64Array([-3n]), new BigUint64Array([2n ** 63n]),
    ];
    for (const v of views) {
      const back = roundTrip(v);
      expect(back.constructor).toBe(v.constructor);
      expect(back).toEqual(v);
    }
    const dv = roundTrip(new DataView(new Uint8Array([9, 8, 7]).buffer, 1, 2));
    expect(dv).toBeInstanceOf(DataView);
    expect([dv.getUint8(0), dv.getUint8(1)]).toEqual([8, 7]);
  });

  it('sends only the bytes a partial view sees, and keeps views of one whole buffer together', () => {
    const big = new Uint8Array(10_000).fill(7);
    const part = big.subarray(100, 104);
    expect(serialize(part).length).toBeLessThan(32);
    expect(roundTrip(part)).toEqual(new Uint8Array([7, 7, 7, 7]));
    const whole = new ArrayBuffer(8);
    const [a, b] = roundTrip([new Uint8Array(whole), new Float64Array(whole)] as const);
    expect(a.buffer).toBe(b.buffer);
    a[0] = 1;
    expect(b[0]).not.toBe(0);
  });

  it('round-trips Errors with name, message, stack, cause and own properties', () => {
    const cause = new RangeError('inner');
    const e = Object.assign(new TypeError('outer', { cause }), { code: 'E_X', detail: { n: 1 } });
    const back = roundTrip(e);
    expect(back).toBeInstanceOf(TypeError);
    expect(back.message).toBe('outer');
    expect(back.stack).toBe(e.stack);
    expect(back.code).toBe('E_X');
    expect(back.detail).toEqual({ n: 1 });
    expect(back.cause).toBeInstanceOf(RangeError);
    const custom = roundTrip(Object.assign(new Error('m'), { name: 'CustomError' }));
    expect(custom.name).toBe('CustomError');
    expect(roundTrip(new Empty('nothing'))).toBeInstanceOf(Empty);
    const remote = roundTrip(new RemoteError('r', { remoteName: 'SyntaxError', remoteStack: 'at x' }));
    expect(remote.remoteName).toBe('SyntaxError');
  });

  it('keeps shared and cyclic references within one value', () => {
    const shared = { n: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared, list: [shared] };
    cyclic.self = cyclic;
    const map = new Map<string, unknown>();
    map.set('me', map);
    cyclic.map = map;
    const back = roundTrip(cyclic);
    expect(back.self).toBe(back);
    expect(back.again).toBe(back.shared);
    expect((back.list as unknown[])[0]).toBe(back.shared);
    const m = back.map as Map<string, unknown>;
    expect(m.get('me')).toBe(m);
    const e = new Error('loop') as Error & { self?: unknown };
    e.self = e;
    const eb = roundTrip(e);
    expect(eb.self).toBe(eb);
  });

  it("carries a class instance as structuredClone does: its own enumerable properties, as a plain object", () => {
    class Point {
      x = 1;
      #hidden = 2;
      constructor(readonly y: number) {}
      get sum(): number {
        return this.x + this.y + this.#hidden;
      }
    }
    const back = roundTrip<unknown>({ p: new Point(5) }) as { p: Record<string, unknown> };
    expect(back.p).toEqual(structuredClone(new Point(5)));
    expect(back.p).toEqual({ x: 1, y: 5 });
    expect(Object.getPrototypeOf(back.p)).toBe(Object.prototype);
  });

  it('refuses what cannot be cloned, naming where it sits', () => {
    const bad = (value: unknown): unknown => encode(value, 'item');
    expect(() => bad({ handler: () => 1 })).toThrow(new TypeError('item.handler could not be cloned (function)'));
    expect(() => bad([1, [2, Symbol('s')]])).toThrow(new TypeError('item[1][1] could not be cloned (symbol)'));
    expect(() => bad({ 'a b': { c: () => 1 } })).toThrow('item["a b"].c could not be cloned (function)');
    expect(() => bad(new Map([['k', () => 1]]))).toThrow('item.get(k) could not be cloned (function)');
    expect(() => bad(new Set([Symbol.iterator]))).toThrow('item.<item> could not be cloned (symbol)');
    expect(() => bad(new WeakMap())).toThrow('item could not be cloned (WeakMap)');
    expect(() => bad({ g: (function* gen() {})() })).toThrow(TypeError);
    expect(() => bad(new Int32Array(new SharedArrayBuffer(8)))).toThrow(/item could not be cloned \(Int32Array over a SharedArrayBuffer/);
    expect(() => bad(Promise.resolve())).toThrow(TypeError);
  });

  it('is not disturbed by a failed or nested encode', () => {
    expect(() => encode({ f: () => 1 }, 'item')).toThrow(TypeError);
    const inner = { get lazy(): number {
      encode({ other: 1 }, 'x');
      return 5;
    } };
    expect(deserialize(encode({ a: 1, inner, b: 'after' }, 'item').slice())).toEqual({ a: 1, inner: { lazy: 5 }, b: 'after' });
  });

  it('refuses corrupt input', () => {
    expect(() => deserialize(new Uint8Array([200]))).toThrow(/corrupt/);
    expect(() => deserialize(new Uint8Array([1, 1]))).toThrow(/left over/);
  });
});

describe('deserialize of a Node Buffer', () => {
  it('gives an ArrayBuffer of exactly the bytes it was sent, not the Buffer pool around them', async () => {
    const { serialize, deserialize } = await import('../src/internal/serialize.ts');
    const { Buffer } = await import('node:buffer');
    const sent = new Uint8Array([1, 2, 3, 4]).buffer;
    const bytes = serialize(sent);
    // A small Buffer lives inside Node's shared 8 KiB pool: its .buffer is much larger than itself.
    const pooled = Buffer.from(bytes);
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    const back = deserialize(pooled) as ArrayBuffer;
    expect(back.byteLength).toBe(4);
    expect([...new Uint8Array(back)]).toEqual([1, 2, 3, 4]);
  });
});
