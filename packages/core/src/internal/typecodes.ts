/**
 * The element types of `Value` and `SharedArray`: mp's names and Python's
 * `array` typecodes, each mapped to its typed array.
 */
import { show } from './validate.js';

/** mp's element type names: signed and unsigned integers of 8 to 64 bits, 32- and 64-bit floats. */
export type TypeName = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64';
/** Python's `array` typecodes, accepted as the same types (`'i'` is `'i32'`, `'d'` is `'f64'`, …). */
export type Typecode = 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'q' | 'Q' | 'f' | 'd';
/** An element type for `Value` and `SharedArray`: mp's name or Python's typecode. */
export type TypeSpec = TypeName | Typecode;

/** The JavaScript value a type holds: `bigint` for 64-bit integers, else `number`. */
export type ValueOf<T extends TypeSpec> = T extends 'i64' | 'u64' | 'q' | 'Q' ? bigint : number;

type AnyTyped = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

export interface ElementType {
  name: TypeName;
  bytes: number;
  integer: boolean;
  big: boolean;
  view(buffer: SharedArrayBuffer, length: number): AnyTyped;
}

const table: Record<TypeName, ElementType> = {
  i8: { name: 'i8', bytes: 1, integer: true, big: false, view: (b, n) => new Int8Array(b, 0, n) },
  u8: { name: 'u8', bytes: 1, integer: true, big: false, view: (b, n) => new Uint8Array(b, 0, n) },
  i16: { name: 'i16', bytes: 2, integer: true, big: false, view: (b, n) => new Int16Array(b, 0, n) },
  u16: { name: 'u16', bytes: 2, integer: true, big: false, view: (b, n) => new Uint16Array(b, 0, n) },
  i32: { name: 'i32', bytes: 4, integer: true, big: false, view: (b, n) => new Int32Array(b, 0, n) },
  u32: { name: 'u32', bytes: 4, integer: true, big: false, view: (b, n) => new Uint32Array(b, 0, n) },
  i64: { name: 'i64', bytes: 8, integer: true, big: true, view: (b, n) => new BigInt64Array(b, 0, n) },
  u64: { name: 'u64', bytes: 8, integer: true, big: true, view: (b, n) => new BigUint64Array(b, 0, n) },
  f32: { name: 'f32', bytes: 4, integer: false, big: false, view: (b, n) => new Float32Array(b, 0, n) },
  f64: { name: 'f64', bytes: 8, integer: false, big: false, view: (b, n) => new Float64Array(b, 0, n) },
};

const codes: Record<Typecode, TypeName> = { b: 'i8', B: 'u8', h: 'i16', H: 'u16', i: 'i32', I: 'u32', q: 'i64', Q: 'u64', f: 'f32', d: 'f64' };

/** Resolves a type name or typecode; throws naming the accepted ones. */
export function elementType(type: unknown): ElementType {
  if (typeof type === 'string') {
    if (Object.prototype.hasOwnProperty.call(table, type)) return table[type as TypeName];
    if (Object.prototype.hasOwnProperty.call(codes, type)) return table[codes[type as Typecode]];
  }
  throw new TypeError(
    `type must be one of 'i8' 'u8' 'i16' 'u16' 'i32' 'u32' 'i64' 'u64' 'f32' 'f64' or a Python typecode 'b' 'B' 'h' 'H' 'i' 'I' 'q' 'Q' 'f' 'd', got ${show(type)}`,
  );
}

/** Checks that `value` fits the element type (a bigint for 64-bit integers, a number otherwise). */
export function checkElement(t: ElementType, value: unknown, name: string): number | bigint {
  if (t.big) {
    if (typeof value !== 'bigint') throw new TypeError(`${name} must be a bigint for type '${t.name}', got ${show(value)}`);
    return value;
  }
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number for type '${t.name}', got ${show(value)}`);
  return value;
}

/** Shared memory for `bytes` bytes; refused, naming the headers, where there is none. */
export function sharedBuffer(bytes: number, what: string): SharedArrayBuffer {
  if (typeof SharedArrayBuffer === 'undefined') {
    throw new TypeError(
      `${what} needs SharedArrayBuffer, which this context does not offer; in a browser, serve the page cross-origin isolated ` +
        `(headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), or use a Manager`,
    );
  }
  // Atomics on 64-bit views need 8-byte alignment and a length that is a multiple of the element size.
  return new SharedArrayBuffer(Math.max(8, Math.ceil(bytes / 8) * 8));
}
