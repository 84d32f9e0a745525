/** SharedMemory and ShareableList in one program (the conformance suite takes them into workers). */
import { describe, expect, it } from 'vitest';
import { MpError, ShareableList, SharedMemory } from '../src/index.ts';
import { decodeShared, encodeShared } from '../src/internal/shared.ts';
import { revivers } from '../src/sync/revivers.ts';

/** What a worker would rebuild from what the sender sends. */
function passed<T>(value: T): T {
  const enc = encodeShared([value], { sharesMemory: true, describe: 'test' }, 'args', { found: false });
  return (decodeShared(structuredClone(enc), revivers) as [T])[0];
}

describe('SharedMemory', () => {
  it('buf is a Uint8Array of size bytes over shared memory, the same memory after passing', () => {
    const shm = new SharedMemory(10);
    expect(shm.size).toBe(10);
    expect(shm.buf).toBeInstanceOf(Uint8Array);
    expect(shm.buf.length).toBe(10);
    expect(shm.buf.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shm.name).toMatch(/^psm_[0-9a-f]{8}$/);
    const other = passed(shm);
    other.buf[3] = 7;
    expect(shm.buf[3]).toBe(7);
    expect(other.name).toBe(shm.name);
  });

  it('close() ends this side; unlink() stops passing it on, once', () => {
    const shm = new SharedMemory(4);
    const other = passed(shm);
    shm.close();
    expect(() => shm.buf).toThrow(MpError);
    other.buf[0] = 1;
    shm.unlink();
    expect(() => other.unlink()).toThrow(/already unlinked/);
    expect(() => passed(other)).toThrow(/was unlinked; it cannot be passed/);
  });

  it('bad sizes name the argument', () => {
    expect(() => new SharedMemory(0)).toThrow(new RangeError('size must be an integer >= 1, got 0'));
    expect(() => new SharedMemory(-3)).toThrow(RangeError);
    expect(() => new SharedMemory(1.5)).toThrow(/size must be an integer >= 1, got 1.5/);
    expect(() => new SharedMemory('8' as never)).toThrow(TypeError);
  });

  it("a Python-style attach by name is refused with a TypeError that says how a block is shared", () => {
    const shm = new SharedMemory(8);
    expect(() => new SharedMemory(shm.name as never)).toThrow(/^SharedMemory cannot attach to a block by name \(got "psm_[0-9a-f]{8}" \(string\)\): .*passing the SharedMemory object itself/);
    expect(() => new SharedMemory({ name: shm.name } as never)).toThrow(TypeError);
    expect(() => new ShareableList(shm.name as never)).toThrow(/^values must be an iterable .*: a ShareableList cannot attach to a block by name/);
    expect(() => new ShareableList({ name: shm.name } as never)).toThrow(/cannot attach to a block by name/);
  });
});

describe('ShareableList', () => {
  it('holds numbers, bigints, booleans, strings, bytes and null; get/set/length, negative indexes', () => {
    const sl = new ShareableList([1.5, 2n, true, 'héllo', new Uint8Array([1, 2]), null]);
    expect(sl.length).toBe(6);
    expect(sl.toArray()).toEqual([1.5, 2n, true, 'héllo', new Uint8Array([1, 2]), null]);
    expect(sl.get(-1)).toBeNull();
    sl.set(0, 'abcdefgh');
    expect(sl.get(0)).toBe('abcdefgh');
    sl.set(3, 42);
    expect(sl.get(3)).toBe(42);
    const other = passed(sl);
    other.set(2, false);
    expect(sl.get(2)).toBe(false);
    expect(new ShareableList((function* () { yield 'a'; yield 1; })()).toArray()).toEqual(['a', 1]);
  });

  it('a slot keeps its byte size: a longer string is refused, naming the slot and the sizes', () => {
    const sl = new ShareableList(['ab', 'x'.repeat(9)]);
    sl.set(0, '12345678');
    expect(() => sl.set(0, '123456789')).toThrow(/value needs 9 bytes, but slot 0 of this ShareableList holds at most 8: slot sizes are fixed/);
    sl.set(1, 'y'.repeat(16));
    expect(() => sl.set(1, 'y'.repeat(17))).toThrow(RangeError);
    expect(sl.get(0)).toBe('12345678');
  });

  it('bad input names the argument', () => {
    expect(() => new ShareableList(5 as never)).toThrow(/values must be an iterable/);
    expect(() => new ShareableList([1, {} as never])).toThrow(/values\[1\] must be a number, bigint, boolean, string, Uint8Array or null, got an object/);
    expect(() => new ShareableList([2n ** 64n])).toThrow(RangeError);
    // UTF-8 slots cannot hold a lone surrogate: refused, as Python's ShareableList refuses one, not stored as U+FFFD.
    expect(() => new ShareableList(['ok', 'a\ud800'])).toThrow(/^values\[1\] is a string with a lone surrogate, which a ShareableList cannot hold/);
    expect(() => new ShareableList(['12345678']).set(0, '\udc00')).toThrow(TypeError);
    const sl = new ShareableList([1]);
    expect(() => sl.get(1)).toThrow(/index must be an integer from -1 to 0, got 1/);
    expect(() => sl.set(0, undefined as never)).toThrow(TypeError);
  });
});
