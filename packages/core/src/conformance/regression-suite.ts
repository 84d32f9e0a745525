/**
 * Conformance: regressions. Each test is a failure the model-based tests or
 * fuzzers found (shrunk by fast-check), kept as a plain test.
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { equal, settlesWithin } from './assert.js';

export function regressionSuite(h: Harness): void {
  const { Pool } = h.api;
  const context = h.context;

  h.describe('regressions found by the model-based tests', () => {
    // Found on a loaded machine: a fresh worker took 1–2.5 s to start, and a task sent to it with a
    // 1.5 s timeout timed out before it ever ran (API.md 3: the timeout counts from when it starts running).
    h.it('a timeout does not count the time a fresh worker takes to start', async () => {
      const pool = new Pool({ processes: 1, context, initializer: fx.sleep, initargs: [1_000] });
      try {
        const r = await settlesWithin(pool.apply(fx.act, [4], { timeout: 400 }), 20_000, 'apply with a timeout');
        equal(r.status, 'fulfilled', `the task ran (${r.status === 'rejected' ? String(r.reason) : ''})`);
        equal((r as PromiseFulfilledResult<unknown>).value, 9);
      } finally {
        await pool.terminate();
      }
    });
  });
}
