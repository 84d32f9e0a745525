/**
 * The hand-written baseline's worker: `{ id, op, arg }` in, `{ id, r }` out,
 * nothing else. What a careful user writes without a library.
 */
import { parentPort } from 'node:worker_threads';
import { inc, incAll, fib, byteLength } from '../../core/work.mjs';

const ops = { inc, incAll, fib, byteLength };
const port = parentPort;
port.on('message', (m) => port.postMessage({ id: m.id, r: ops[m.op](m.arg) }));
