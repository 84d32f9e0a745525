/**
 * The hand-written baseline's plumbing for runtimes with Web Workers (Deno,
 * Bun, the browser): two module Workers, one message per call, an id →
 * resolver map, round-robin dispatch. Mirrors ../node/libraries/raw-channel.mjs.
 */
/* global Worker */
const workerUrl = new URL('./raw-worker.mjs', import.meta.url);

export function openRaw(n = 2) {
  const workers = [];
  const pending = new Map();
  let nextId = 0;
  let turn = 0;
  for (let i = 0; i < n; i++) {
    const w = new Worker(workerUrl, { type: 'module' });
    w.onmessage = (e) => {
      const m = e.data;
      const p = pending.get(m.id);
      pending.delete(m.id);
      p.resolve(m.r);
    };
    w.onerror = (e) => {
      e.preventDefault?.();
      const error = new Error(`raw worker failed: ${e.message ?? String(e)}`);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    workers.push(w);
  }
  return {
    /** One message to the next worker in turn; resolves with its answer. */
    call(op, arg, transferList) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        workers[turn].postMessage({ id, op, arg }, transferList ?? []);
        turn = (turn + 1) % n;
      });
    },
    close: async () => {
      for (const w of workers) w.terminate();
    },
  };
}
