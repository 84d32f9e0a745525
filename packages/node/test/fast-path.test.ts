/**
 * The parent's side of the fast path (`WorkerHandle.pollSync`, thread-worker.ts): a lone batch's answer taken
 * synchronously, the moment the worker posts it.
 */
import { describe, expect, it } from 'vitest';
import { Pool, nodeRuntime, type Runtime, type WorkerHandle } from '../src/index.ts';

/** Busy for `ms` milliseconds: nothing else runs on this thread meanwhile. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('pollSync (Node threads)', () => {
  it('takes an answer the worker posted before the pool began to wait for it', async () => {
    // Set by the task as it returns: its answer is posted (and the doorbell rung) a moment later.
    const answered = new Int32Array(new SharedArrayBuffer(4));
    const polled: boolean[] = [];
    // Node's runtime, with each pollSync held back until the worker has answered: what happens when a task
    // is quicker than the pool's own bookkeeping between posting a batch and waiting for its answer.
    const late: Runtime = {
      ...nodeRuntime,
      // Blocking waits are chosen only with a core for each side.
      cpuCount: () => Math.max(2, nodeRuntime.cpuCount()),
      spawn(request, events) {
        const handle = nodeRuntime.spawn(request, events);
        if (!handle.pollSync) throw new Error('expected Node threads to have pollSync (is MP_FAST_PATH=0 set?)');
        const held: WorkerHandle = {
          ...handle,
          pollSync(timeoutMs) {
            const deadline = Date.now() + 10_000;
            while (Atomics.load(answered, 0) === 0 && Date.now() < deadline);
            busy(20);
            // Given time, on a loaded machine, for a ring that is still to come after all; a wait that counted rings
            // from here would wait all of it, for a second one.
            const got = handle.pollSync!(Math.max(timeoutMs, 5_000));
            polled.push(got);
            return got;
          },
        };
        return held;
      },
    };
    const pool = new Pool({ processes: 1, context: { runtimeFor: () => late } });
    try {
      // The pool learns its way of waiting: first through the event loop, then it tries blocking waits (pollSync).
      for (let i = 0; i < 40 && polled.length < 3; i++) {
        Atomics.store(answered, 0, 0);
        const got = await pool.apply(
          (flag: Int32Array, x: number) => {
            Atomics.store(flag, 0, 1);
            return x + 1;
          },
          [answered, i],
        );
        expect(got).toBe(i + 1);
      }
      expect(polled.length).toBeGreaterThan(0);
      // The answer was there when the wait began: taken at once, not waited for (a wait for the next ring would
      // time out, and the answer come later through the event loop).
      expect(polled).toEqual(polled.map(() => true));
    } finally {
      await pool.terminate();
    }
  });
});
