/** The conformance suite's own `deepEqual`: it must tell apart what structured clone can carry. */
import { describe, expect, it } from 'vitest';
import { AssertionError, deepEqual } from '../src/conformance/assert.ts';

let pair = 0;
const differs = (a: unknown, b: unknown): void => {
  pair++;
  expect(() => deepEqual(a, b), `pair ${pair}`).toThrow(AssertionError);
  expect(() => deepEqual(b, a), `pair ${pair}, reversed`).toThrow(AssertionError);
};

describe('deepEqual', () => {
  it('tells apart Maps, Sets and Dates by content', () => {
    differs(new Map([[1, 2]]), new Map([[1, 3]]));
    differs(new Map([[1, 2]]), new Map([[2, 2]]));
    differs(new Map([[1, 2]]), new Map());
    differs(new Map([[{ k: 1 }, 'a']]), new Map([[{ k: 2 }, 'a']]));
    differs(new Set([1, 2]), new Set([1, 3]));
    differs(new Set([{ a: 1 }]), new Set([{ a: 2 }]));
    differs(new Date(0), new Date(1));
    differs(new Date(0), {});
    differs(new Map(), {});
    differs(new Set(), []);
  });

  it('tells apart RegExps, errors, buffers, typed arrays, boxed values, holes and prototypes', () => {
    differs(/a/g, /a/i);
    differs(/a/, /b/);
    differs(new RangeError('x'), new TypeError('x'));
    differs(new Error('x'), new Error('y'));
    differs(new Error('x', { cause: 1 }), new Error('x', { cause: 2 }));
    differs(new Uint8Array([1, 2]), new Uint8Array([1, 3]));
    differs(new Uint8Array([1]), new Int8Array([1]));
    differs(new Uint8Array([1, 2]).buffer, new Uint8Array([1, 3]).buffer);
    differs(new DataView(new Uint8Array([1, 2]).buffer, 1), new DataView(new Uint8Array([1, 2]).buffer, 0, 1));
    differs(Object(1), Object(2));
    differs(Object('a'), Object('b'));
    // eslint-disable-next-line no-sparse-arrays
    differs([1, , 3], [1, undefined, 3]);
    differs({ a: undefined }, { b: undefined });
    differs([1, 2], { 0: 1, 1: 2 });
    differs(Object.create(null), {});
    differs(0, -0);
    differs(1n, 2n);
  });

  it('accepts equal values, cyclic ones and deep-equal Map keys and Set members included', () => {
    const cyc = (): Record<string, unknown> => {
      const o: Record<string, unknown> = { n: 1 };
      o.self = o;
      return o;
    };
    const same: [unknown, unknown][] = [
      [new Map<unknown, unknown>([[1, { a: [1] }], [{ k: 1 }, 'x']]), new Map<unknown, unknown>([[1, { a: [1] }], [{ k: 1 }, 'x']])],
      [new Set([1, { a: 1 }]), new Set([{ a: 1 }, 1])],
      [new Date(5), new Date(5)],
      [new Date(NaN), new Date(NaN)],
      [/x/gi, /x/gi],
      [new TypeError('t', { cause: new Error('c') }), new TypeError('t', { cause: new Error('c') })],
      [new Float64Array([NaN, 1]), new Float64Array([NaN, 1])],
      [cyc(), cyc()],
      [NaN, NaN],
      [{ a: [1, { b: 2n }] }, { a: [1, { b: 2n }] }],
    ];
    same.forEach(([a, b], i) => expect(() => deepEqual(a, b), `pair ${i}`).not.toThrow());
  });
});
