/**
 * A compact binary encoding of structured-cloneable values, for putting items
 * into shared memory (queues, pipes). It is plain JavaScript over a growable
 * `Uint8Array` and a `DataView` — no `node:v8` — so it runs the same in Node,
 * Deno, Bun and browsers.
 *
 * It covers what `structuredClone` covers that a program sends between workers:
 * primitives (NaN, -0, bigint included), strings (UTF-8), arrays, plain
 * objects, Date, Map, Set, RegExp, Error (name, message, stack, cause and own
 * properties; mp's and the built-in classes are rebuilt by name), ArrayBuffer,
 * typed arrays and DataView, with shared and cyclic references kept within one
 * value. Anything else is refused with a `TypeError` that names where it sits:
 * `item.handler could not be cloned (function)`.
 *
 * As `structuredClone` does, it keeps array holes, primitive wrappers (`new
 * Number(1)`…) and strings with a lone surrogate (those go as UTF-16 code units:
 * UTF-8 cannot carry one). Decisions where it differs: a typed array that sees
 * only part of its buffer is sent with just the bytes it sees (a small Node
 * `Buffer` from the shared 8 KiB pool costs its own size), while views over a
 * whole buffer keep sharing it; an error keeps its own properties; an array's
 * properties that are not indexes are not sent.
 */
import { Reader } from './serialize-reader.js';
import { Uncloneable, Writer } from './serialize-writer.js';

let idle: Writer | undefined = new Writer();

/**
 * Serializes `value` and returns a view of the bytes that stays valid only
 * until the next `encode` on this thread (the writer is reused: no allocation
 * per item). Copy it (`serialize`) to keep it. `label` starts the path named in
 * errors: `item.handler could not be cloned (function)`.
 */
export function encode(value: unknown, label: string): Uint8Array {
  // A getter on the value may itself encode; it then gets a writer of its own.
  const w = idle ?? new Writer();
  idle = undefined;
  let failure: Uncloneable;
  try {
    w.reset();
    w.value(value);
    return w.bytes.subarray(0, w.pos);
  } catch (error) {
    if (!(error instanceof Uncloneable)) throw error;
    failure = error;
  } finally {
    idle = w;
  }
  throw new TypeError(`${label}${failure.segments.reverse().join('')} could not be cloned (${failure.what})`);
}

/**
 * Serializes `value` to a fresh `Uint8Array`.
 *
 * @example
 * const bytes = serialize({ when: new Date(), ids: new Set([1, 2]) });
 * deserialize(bytes); // an equal value
 */
export function serialize(value: unknown, label = 'value'): Uint8Array {
  return encode(value, label).slice();
}

/**
 * Rebuilds a value from `serialize`'s bytes. The bytes must not live in a
 * SharedArrayBuffer (browsers' `TextDecoder` refuses those): copy them out first.
 *
 * @example
 * deserialize(serialize([1n, 'two', new Map([[3, 4]])])); // [1n, 'two', Map {3 => 4}]
 */
export function deserialize(bytes: Uint8Array): unknown {
  const r = new Reader(bytes);
  let v: unknown;
  try {
    v = r.value();
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith('corrupt serialized data')) throw error;
    // Bytes cut short or changed end in a DataView bounds error, a bad RegExp, a too-deep nesting…: all one kind of failure.
    throw new TypeError(`corrupt serialized data: ${(error as Error)?.message ?? String(error)} (at byte ${r.pos} of ${bytes.length})`, { cause: error });
  }
  if (r.pos !== bytes.length) throw new TypeError(`corrupt serialized data: ${bytes.length - r.pos} bytes left over`);
  return v;
}
