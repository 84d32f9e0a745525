/** `isMainThread` is true in the main program and false inside every kind of mp worker (built package). */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { built as api, dist } from './built.ts';

const check = api.task<() => boolean>(new URL('./fixtures/modules/is-main.mjs', import.meta.url), 'check');

describe('isMainThread', () => {
  it('is true here', () => {
    expect(api.isMainThread).toBe(true);
  });
  for (const context of ['thread', 'process'] as const) {
    it(`is false in a ${context} worker`, async () => {
      const pool = new api.Pool({ processes: 1, context });
      try {
        expect(await pool.apply(check, [])).toBe(false);
      } finally {
        await pool.terminate();
      }
    });
  }
  // @mp/node reads it without loading node:worker_threads (src/worker-threads.ts): it must agree with
  // Node's own in a thread mp did not start.
  it("is false in a plain worker_threads Worker, as Node's own isMainThread", async () => {
    const code = `import(${JSON.stringify(dist)}).then(async (m) => {
      const { isMainThread, parentPort } = await import('node:worker_threads');
      parentPort.postMessage([m.isMainThread, isMainThread]);
    });`;
    const worker = new Worker(code, { eval: true });
    try {
      const seen = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(seen).toEqual([false, false]);
    } finally {
      await worker.terminate();
    }
  });
});
