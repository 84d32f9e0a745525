/**
 * Conformance: `wait()` (Python's `multiprocessing.connection.wait`) over
 * Processes in every context, and over Pipe ends and queues fed by workers
 * where memory is shared — many senders at once, so that anything that became
 * ready while `wait` was setting up would be missed (API.md section 5c).
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { px } from './parity-harness.js';
import { Event } from '../sync/event.js';
import { Pipe, type Connection } from '../sync/pipe.js';
import { Queue } from '../sync/queue.js';
import { wait } from '../sync/wait-objects.js';
import { deepEqual, equal, ok } from './assert.js';

export function parityWaitSuite(h: Harness): void {
  const { Pool, Process } = h.api;
  const context = h.context;

  h.describe('wait()', () => {
    h.it('over Processes: the ended ones in the order given, [] on timeout', async () => {
      const slow = new Process({ target: fx.sleep, args: [60_000], context }).start();
      const quick = new Process({ target: fx.sleep, args: [10], context }).start();
      try {
        const ready = await wait([slow, quick], { timeout: 30_000 });
        deepEqual(ready, [quick]);
        deepEqual(await wait([slow], { timeout: 20 }), []);
        await slow.terminate();
        deepEqual(await wait([quick, slow]), [quick, slow]);
      } finally {
        await slow.kill();
      }
    }, 60_000);

    if (!(h.features.sharedMemory ?? true)) return;

    h.it('4 senders on 4 pipes and a queue, 200 rounds: each round one of them sends at a scattered moment, and wait never misses it', async () => {
      const rounds = 200;
      const pool = new Pool({ processes: 4, context });
      try {
        const pairs = Array.from({ length: 4 }, () => ({ go: Pipe<number>(), out: Pipe<number>() }));
        const readers: (Connection<number> | Queue<number>)[] = pairs.map((p) => p.out[0]);
        const q = new Queue<number>();
        readers.push(q);
        // Round r is sender r % 5's: a worker for 0…3, a timer of this program putting on the queue for 4.
        const senders = pool.starmap(px.sendOnGo, pairs.map((p, id) => [p.go[1], p.out[1], id, rounds / 5] as [Connection<number>, Connection<number>, number, number]), { chunksize: 1 });
        // Every sender is up (its hello is in) before the rounds are timed.
        for (const p of pairs) ok((await p.out[0].recv({ timeout: 30_000 })) < 0, 'hello');
        const seen = new Set<number>();
        for (let r = 0; r < rounds; r++) {
          const who = r % 5;
          // Written at once (the pipe has room), as sendSync would, on a thread that may not block too.
          if (who < 4) void pairs[who]!.go[0].send(r);
          else setTimeout(() => void q.put(-1 - r), 0);
          const started = Date.now();
          const ready = await wait(readers, { timeout: 20_000 });
          // A missed wake-up shows as a wait that sleeps until its 10 s slice ends (or returns []): rounds take milliseconds.
          equal(ready.length, 1, `round ${r}: ready objects`);
          ok(Date.now() - started < 5_000, `round ${r} took ${Date.now() - started} ms: a wake-up was missed`);
          equal(readers.indexOf(ready[0]!), who, `round ${r}: the sender`);
          seen.add(who === 4 ? await q.get() : await pairs[who]!.out[0].recv());
        }
        equal(seen.size, rounds);
        deepEqual(await senders, [rounds / 5, rounds / 5, rounds / 5, rounds / 5]);
      } finally {
        await pool.terminate();
      }
    }, 120_000);

    h.it('waitSync in a worker: blocks until the parent sends, returns [] on timeout', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        const [a, a2] = Pipe();
        const [b, b2] = Pipe();
        const started = new Event();
        const pending = pool.apply(px.waitSyncIndexes, [[a2, b2], started, 30_000]);
        ok(await started.wait({ timeout: 30_000 }), 'the worker started');
        await b.send('to b');
        deepEqual(await pending, { ready: [1], got: ['to b'] });
        deepEqual(await pool.apply(px.waitSyncIndexes, [[a2], new Event(), 30]), { ready: [], got: [] });
        void a;
      } finally {
        await pool.terminate();
      }
    }, 60_000);
  });
}
