/** (e) Payload: tasks each carrying a large ArrayBuffer, structured-cloned or transferred. */
import { usePool } from '../adapter.mjs';
import { now } from '../clock.mjs';

const MiB = 1024 * 1024;

function payloadScenario(move) {
  return {
    id: move ? 'transfer' : 'clone',
    letter: 'e',
    title: move ? 'Payload, transferred' : 'Payload, cloned',
    unit: 'ms',
    better: 'lower',
    sizes: { full: { tasks: 64, mib: 8 }, smoke: { tasks: 4, mib: 1 / 16 } },
    // Half a second a cell, bound by memory bandwidth and page faults: runs spread by ±30%, so more of them.
    reps: { full: 11 },
    describe: (s) =>
      `${s.tasks} tasks submitted at once, each carrying its own ${s.mib} MiB ArrayBuffer ${move ? 'in the transfer list (moved)' : 'by structured clone (copied)'}; the task returns the buffer's length. Time for all ${s.tasks}.`,
    note: (d) => `${Math.round(d.mibPerS).toLocaleString('en-US')} MiB/s`,
    /** @param {import('../adapter.mjs').MeasureContext} ctx */
    async measure({ open, size }) {
      const bytes = Math.round(size.mib * MiB);
      const buffers = [];
      for (let i = 0; i < size.tasks + 2; i++) new Uint8Array((buffers[i] = new ArrayBuffer(bytes))).fill(i & 0xff);
      return usePool(open, async (pool) => {
        await Promise.all([pool.payload(buffers[size.tasks], move), pool.payload(buffers[size.tasks + 1], move)]);
        const promises = [];
        const start = now();
        for (let i = 0; i < size.tasks; i++) promises.push(pool.payload(buffers[i], move));
        const results = await Promise.all(promises);
        const ms = now() - start;
        for (const r of results) if (r !== bytes) throw new Error(`the task saw ${String(r)} bytes, expected ${bytes}`);
        if (move && !pool.copiesTransfers && buffers[0].byteLength !== 0) throw new Error('the buffer was copied, not transferred (it is still attached here)');
        return { value: ms, details: { mibPerS: (size.tasks * size.mib) / (ms / 1000) } };
      });
    },
  };
}

export const clonePayload = payloadScenario(false);
export const transferPayload = payloadScenario(true);
