/**
 * Conformance: regressions. Each test is a failure the model-based tests or
 * fuzzers found (shrunk by fast-check), kept as a plain test.
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { delay, equal, rejects, settlesWithin } from './assert.js';

export function regressionSuite(h: Harness): void {
  const { Pool } = h.api;
  const context = h.context;

  h.describe('regressions found by the model-based tests', () => {
    // Found on a loaded machine: a fresh worker took 1–2.5 s to start, and a task sent to it with a
    // 1.5 s timeout timed out before it ever ran (API.md 3: the timeout counts from when it starts running).
    h.it('a timeout does not count the time a fresh worker takes to start', async () => {
      // The start (an initializer of 2.5 s) is longer than the timeout, which is long enough for a loaded CI machine
      // to run the task in a child process (400 ms was not, once, for Bun's process context at load 20).
      const pool = new Pool({ processes: 1, context, initializer: fx.sleep, initargs: [2_500] });
      try {
        const r = await settlesWithin(pool.apply(fx.act, [4], { timeout: 1_500 }), 20_000, 'apply with a timeout');
        equal(r.status, 'fulfilled', `the task ran (${r.status === 'rejected' ? String(r.reason) : ''})`);
        equal((r as PromiseFulfilledResult<unknown>).value, 9);
      } finally {
        await pool.terminate();
      }
    });

    // Found by the model (Bun, process context, seed 5): an apply aborted while it waited for a busy
    // worker was still run once the worker was free (API.md 3: an abort drops queued work).
    h.it('an aborted task that was waiting for a busy worker never runs', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        await pool.apply(fx.squ, [1]); // the worker is up
        const busy = pool.apply(fx.sleep, [300]);
        const controller = new AbortController();
        const waiting = pool.apply(fx.act, [1], { signal: controller.signal });
        await delay(50);
        controller.abort(new Error('stop'));
        await rejects(waiting, Error, /^stop$/);
        equal(await busy, 300);
        await delay(300);
        equal(pool.stats().completed, 2, 'completed: only squ and sleep ran');
      } finally {
        await pool.terminate();
      }
    });
  });
}
