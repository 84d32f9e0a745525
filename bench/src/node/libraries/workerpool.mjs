/**
 * workerpool as its README recommends for Node: a dedicated worker script
 * (`workerpool.worker({...})`), `workerType: 'thread'`, all workers started
 * eagerly, `exec(name, args, { transfer })`. No `map`: inputs are chunked by
 * the caller (see ../../core/chunks.mjs).
 */
import { fileURLToPath } from 'node:url';
import workerpoolLib from 'workerpool';
import { defaultChunksize, mapByChunks } from '../../core/chunks.mjs';

const script = fileURLToPath(new URL('../workers/workerpool-worker.mjs', import.meta.url));

/** @returns {() => Promise<import('../../core/adapter.mjs').PoolAdapter>} */
export function workerpool() {
  return async () => {
    const pool = workerpoolLib.pool(script, { minWorkers: 2, maxWorkers: 2, workerType: 'thread' });
    return {
      inc: (x) => pool.exec('inc', [x]),
      map: (items) => mapByChunks(items, defaultChunksize(items.length, 2), (chunk) => pool.exec('incAll', [chunk])),
      fib: (n) => pool.exec('fib', [n]),
      payload: (buf, move) => pool.exec('byteLength', [buf], move ? { transfer: [buf] } : undefined),
      close: () => pool.terminate(),
    };
  };
}
