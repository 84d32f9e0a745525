/**
 * tinypool as its README recommends: a fixed pool of worker_threads, named
 * exports picked by `run(task, { name })`, `transferList` to move buffers,
 * optionally `concurrentTasksPerWorker` (its best setting for tiny tasks).
 * No `map`: inputs are chunked by the caller (see ../../core/chunks.mjs).
 */
import Tinypool from 'tinypool';
import { defaultChunksize, mapByChunks } from '../../core/chunks.mjs';

const filename = new URL('../workers/tasks.mjs', import.meta.url).href;
const INC = { name: 'inc' };
const INC_ALL = { name: 'incAll' };
const FIB = { name: 'fib' };
const BYTE_LENGTH = { name: 'byteLength' };

/** @returns {() => Promise<import('../../core/adapter.mjs').PoolAdapter>} */
export function tinypool(options = {}) {
  return async () => {
    const pool = new Tinypool({ filename, minThreads: 2, maxThreads: 2, ...options });
    return {
      inc: (x) => pool.run(x, INC),
      map: (items) => mapByChunks(items, defaultChunksize(items.length, 2), (chunk) => pool.run(chunk, INC_ALL)),
      fib: (n) => pool.run(n, FIB),
      payload: (buf, move) => pool.run(buf, move ? { name: 'byteLength', transferList: [buf] } : BYTE_LENGTH),
      close: () => pool.destroy(),
    };
  };
}
