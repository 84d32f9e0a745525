/**
 * poolifier as its README and its own versus-other-pools benchmark use it: a
 * `FixedThreadPool` over a `ThreadWorker` with named task functions,
 * `execute(data, name, signal, transferList)`. No chunked `map`
 * (`mapExecute` is one task per item): inputs are chunked by the caller.
 */
import { fileURLToPath } from 'node:url';
import { FixedThreadPool } from 'poolifier';
import { defaultChunksize, mapByChunks } from '../../core/chunks.mjs';

const script = fileURLToPath(new URL('../workers/poolifier-worker.mjs', import.meta.url));

/** @returns {() => Promise<import('../../core/adapter.mjs').PoolAdapter>} */
export function poolifier(options = {}) {
  return async () => {
    const pool = new FixedThreadPool(2, script, { errorHandler: (e) => console.error(e), ...options });
    return {
      inc: (x) => pool.execute(x, 'inc'),
      map: (items) => mapByChunks(items, defaultChunksize(items.length, 2), (chunk) => pool.execute(chunk, 'incAll')),
      fib: (n) => pool.execute(n, 'fib'),
      payload: (buf, move) => pool.execute(buf, 'byteLength', undefined, move ? [buf] : undefined),
      close: () => pool.destroy(),
    };
  };
}
