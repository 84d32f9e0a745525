/**
 * Round-2 parity on a page WITHOUT cross-origin isolation: SharedMemory and
 * ShareableList throw the error every shared-memory object throws (naming the
 * COOP/COEP headers and Manager), while the rest of the Manager, registered
 * types and wait() over Processes work in workers.
 */
import { describe, expect, it } from 'vitest';
import { fixturesUrl } from '@mp/core/conformance';
import { Manager, Pool, Process, RemoteError, ShareableList, SharedMemory, tasks, wait } from '../../src/index.ts';
// Typed from core's build, whose classes are the ones this package's API re-exports.
import type * as ParityFixtures from '../../../core/dist/conformance/parity-fixtures.js';

// The parity fixtures are built next to the suite's own fixtures.
const px = tasks<typeof ParityFixtures>(new URL('./parity-fixtures.js', fixturesUrl));
const t = tasks<typeof import('../fixtures/tasks.ts')>(new URL('../fixtures/tasks.ts', import.meta.url));

const HEADERS = /needs SharedArrayBuffer, which this context does not offer.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp.*Manager/;

class Counter {
  n = 0;
  inc(by = 1): number {
    return (this.n += by);
  }
  boom(): never {
    throw new RangeError('boom');
  }
}

describe('round-2 parity on a page that is not cross-origin isolated', () => {
  it('SharedMemory and ShareableList throw a TypeError naming the COOP/COEP headers and Manager', () => {
    expect(() => new SharedMemory(8)).toThrow(TypeError);
    expect(() => new SharedMemory(8)).toThrow(HEADERS);
    expect(() => new ShareableList([1, 'a'])).toThrow(HEADERS);
  });

  it('Event, Namespace, Barrier and a registered type work in workers over messages', async () => {
    await using manager = await Manager.start();
    const m = manager.register('Counter', Counter);
    const pool = new Pool({ processes: 2 });
    try {
      const ready = await manager.Event();
      const ns = await manager.Namespace();
      const waiting = Promise.all([pool.apply(px.awaitManagedEvent, [ready, ns, 'a']), pool.apply(px.awaitManagedEvent, [ready, ns, 'b'])]);
      await ready.set();
      expect(await waiting).toEqual([true, true]);
      expect(await ns.toObject()).toEqual({ a: true, b: true });
      const barrier = await manager.Barrier(2);
      expect((await pool.map(px.managedBarrierParty, [barrier, barrier], { chunksize: 1 })).sort()).toEqual([0, 1]);
      const c = await m.Counter();
      await pool.starmap(px.bumpRegistered, [[{ deep: [c] }, 5], [{ deep: [c] }, 5]] as never);
      expect(await c.inc(0)).toBe(10);
      await expect(c.boom()).rejects.toThrow(RemoteError);
    } finally {
      await pool.terminate();
    }
  });

  it('wait() over Processes: the ended one, in the order given', async () => {
    const slow = new Process({ target: t.sleepThen, args: [60_000, 0] }).start();
    const quick = new Process({ target: t.sleepThen, args: [1, 0] }).start();
    try {
      expect(await wait([slow, quick], { timeout: 30_000 })).toEqual([quick]);
    } finally {
      await slow.kill();
    }
  });
});
