/**
 * Conformance: `SharedMemory` and `ShareableList` (Python's
 * `multiprocessing.shared_memory`), the same memory in the parent and in
 * workers; where the context shares no memory, passing them is refused with
 * the error every shared object gives, naming Manager (API.md section 5c).
 */
import type { Harness } from './harness.js';
import { MpError } from '../errors.js';
import { px } from './parity-harness.js';
import { ShareableList } from '../sync/shareable-list.js';
import { SharedMemory } from '../sync/shared-memory.js';
import { deepEqual, equal, ok, rejects, throws } from './assert.js';

export function parityShmSuite(h: Harness): void {
  const { Pool, Process } = h.api;
  const context = h.context;

  h.describe('SharedMemory and ShareableList', () => {
    if (!(h.features.sharedMemory ?? true)) {
      h.it('passing either to this context is refused, naming Manager (or, without SharedArrayBuffer, making one is)', async () => {
        if (typeof SharedArrayBuffer === 'undefined') {
          // A page that is not cross-origin isolated: the same error as every shared-memory object.
          throws(() => new SharedMemory(8), TypeError, /needs SharedArrayBuffer.*Cross-Origin-Opener-Policy.*Manager/);
          throws(() => new ShareableList([1]), TypeError, /needs SharedArrayBuffer.*Manager/);
          return;
        }
        const pool = new Pool({ processes: 1, context });
        try {
          await rejects(pool.apply(px.shmSum, [new SharedMemory(8)]), TypeError, /^args\[0\] is a SharedMemory, .*Manager.*Array\('u8', size\)/);
          throws(() => new Process({ target: px.editShareableList, args: [{ l: new ShareableList([1]) } as never], context }), TypeError, /^args\[0\]\.l is a ShareableList, .*manager\.list/);
        } finally {
          await pool.terminate();
        }
      });
      return;
    }

    h.it('a SharedMemory passed to pool tasks and a Process is the same memory on every side', async () => {
      const shm = new SharedMemory(1000);
      const pool = new Pool({ processes: 2, context });
      try {
        deepEqual(await pool.starmap(px.shmFill, [[shm, 0, 500, 1], [shm, 500, 1000, 2]]), [1000, 1000]);
        equal(shm.buf[0], 1);
        equal(shm.buf[999], 2);
        shm.buf[10] = 101;
        equal(await pool.apply(px.shmSum, [shm]), 500 + 1000 - 1 + 101);
        const p = new Process({ target: px.shmFill, args: [shm, 0, 1000, 3], context }).start();
        await p.join();
        equal(p.exitCode, 0, String(p.error));
        equal(shm.buf.reduce((a, b) => a + b, 0), 3000);
      } finally {
        await pool.terminate();
      }
    }, 60_000);

    h.it('a ShareableList edited in a worker is seen here; a value too long for its slot is refused there', async () => {
      const sl = new ShareableList([41, 'ab', true, null, 5n]);
      const pool = new Pool({ processes: 1, context });
      try {
        const r = await pool.apply(px.editShareableList, [sl]);
        deepEqual(r.seen, [41, 'ab', true, null, 5n] as unknown[]);
        ok(/^RangeError: value needs 64 bytes, but slot 1 of this ShareableList holds at most 8/.test(r.refused), r.refused);
        equal(sl.get(0), 42);
        equal(sl.get(1), 'worker!');
        // An index of the wrong type is a TypeError (Python's sl['0'] is one); after close(), use throws, as in Python.
        throws(() => sl.get('0' as never), TypeError, /^index must be an integer, got "0" \(string\)$/);
        throws(() => sl.get(9), RangeError, /^index must be an integer from -5 to 4, got 9$/);
        sl.shm.close();
        throws(() => sl.get(0), MpError, /was closed on this side/);
        throws(() => sl.set(0, 1), MpError, /was closed on this side/);
        // More than can be had is refused naming the size (it read the engine's "Array buffer allocation failed").
        throws(() => new SharedMemory(2 ** 52), RangeError, /^size 4503599627370496 is more memory than this program can have/);
      } finally {
        await pool.terminate();
      }
    }, 60_000);
  });
}
