/**
 * tinypool as its README recommends: a fixed pool of worker_threads, named
 * exports picked by `run(task, { name })`, `transferList` to move buffers,
 * optionally `concurrentTasksPerWorker` (its best setting for tiny tasks); see ./run-pool.mjs.
 */
import Tinypool from 'tinypool';
import { runPool } from './run-pool.mjs';

/** @returns {() => Promise<import('../../core/adapter.mjs').PoolAdapter>} */
export function tinypool(options = {}) {
  return runPool(Tinypool, options);
}
