/**
 * The hand-written baseline's plumbing: two `worker_threads` Workers, one
 * message per call, an id → resolver map, round-robin dispatch. The three raw
 * baselines differ only in how they group work into calls.
 */
import { Worker } from 'node:worker_threads';

const workerUrl = new URL('../workers/raw-worker.mjs', import.meta.url);

export function openRaw(n = 2) {
  const workers = [];
  const pending = new Map();
  let nextId = 0;
  let turn = 0;
  for (let i = 0; i < n; i++) {
    const w = new Worker(workerUrl);
    w.on('message', (m) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      p.resolve(m.r);
    });
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    workers.push(w);
  }
  return {
    /** One message to the next worker in turn; resolves with its answer. */
    call(op, arg, transferList) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        workers[turn].postMessage({ id, op, arg }, transferList);
        turn = (turn + 1) % n;
      });
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
