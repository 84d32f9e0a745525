/**
 * The hand-written baseline's Web Worker: `{ id, op, arg }` in, `{ id, r }`
 * out, nothing else. Mirrors ../node/workers/raw-worker.mjs.
 */
/* global self */
import { inc, incAll, fib, byteLength } from '../core/work.mjs';

const ops = { inc, incAll, fib, byteLength };
self.onmessage = (e) => {
  const m = e.data;
  self.postMessage({ id: m.id, r: ops[m.op](m.arg) });
};
