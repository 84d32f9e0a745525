/**
 * The adapter for pools with piscina's API (piscina, and tinypool, its fork):
 * a fixed pool of 2 threads over ../workers/tasks.mjs, named exports picked by
 * `run(task, { name })`, `transferList` to move buffers, `destroy()` to end.
 * No `map`: inputs are chunked by the caller (see ../../core/chunks.mjs).
 */
import { defaultChunksize, mapByChunks } from '../../core/chunks.mjs';

const filename = new URL('../workers/tasks.mjs', import.meta.url).href;
const INC = { name: 'inc' };
const INC_ALL = { name: 'incAll' };
const FIB = { name: 'fib' };
const BYTE_LENGTH = { name: 'byteLength' };

/**
 * @param {new (options: object) => { run(task: unknown, options: object): Promise<unknown>, destroy(): Promise<void> }} Pool
 * @returns {() => Promise<import('../../core/adapter.mjs').PoolAdapter>}
 */
export function runPool(Pool, options = {}) {
  return async () => {
    const pool = new Pool({ filename, minThreads: 2, maxThreads: 2, ...options });
    return {
      inc: (x) => pool.run(x, INC),
      map: (items) => mapByChunks(items, defaultChunksize(items.length, 2), (chunk) => pool.run(chunk, INC_ALL)),
      fib: (n) => pool.run(n, FIB),
      payload: (buf, move) => pool.run(buf, move ? { name: 'byteLength', transferList: [buf] } : BYTE_LENGTH),
      close: () => pool.destroy(),
    };
  };
}
