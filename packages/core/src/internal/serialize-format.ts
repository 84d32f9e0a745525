/**
 * The wire format of `serialize.ts`: one tag byte before each value, lengths
 * and numbers little-endian. Shared by the writer and the reader.
 */

export const UNDEFINED = 0;
export const NULL = 1;
export const TRUE = 2;
export const FALSE = 3;
export const INT32 = 4;
export const FLOAT64 = 5;
export const BIGINT = 6;
export const STRING8 = 7;
export const STRING32 = 8;
export const ARRAY = 9;
export const OBJECT = 10;
export const DATE = 11;
export const MAP = 12;
export const SET = 13;
export const REGEXP = 14;
export const ERROR = 15;
export const ARRAY_BUFFER = 16;
export const VIEW = 17;
export const REF = 18;
/** A string that is not well-formed UTF-16 (a lone surrogate), which UTF-8 cannot carry: its code units as they are. */
export const STRING16 = 19;
/** An array's hole (an index it does not have), kept as a hole, as `structuredClone` keeps it. */
export const HOLE = 20;
/** A primitive wrapper object (`new Number(1)`, `new String('')`, `Object(1n)`…): its kind (BOX_CTORS), then its value. */
export const BOXED = 21;
/** The primitive wrappers structuredClone copies, in wire order. */
export const BOX_CTORS = [Number, String, Boolean, BigInt] as const;

export type ViewCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;

/** Typed array kinds by their `Symbol.toStringTag`, in wire order; `DataView` last. */
export const VIEW_NAMES = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView',
] as const;
export const VIEW_CTORS: readonly ViewCtor[] = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
  Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
] as ViewCtor[];
export const VIEW_KIND: Record<string, number> = Object.fromEntries(VIEW_NAMES.map((name, i) => [name, i]));

/** Longest string written with a one-byte length (3 UTF-8 bytes per UTF-16 unit at most). */
export const SHORT_STRING = 85;
