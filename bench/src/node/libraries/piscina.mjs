/**
 * piscina as its README recommends: a fixed pool (minThreads = maxThreads),
 * a worker module with named exports picked by `run(task, { name })`, the
 * default Atomics-based wake-up, `transferList` to move buffers (see ./run-pool.mjs).
 */
import { Piscina } from 'piscina';
import { runPool } from './run-pool.mjs';

/** @returns {() => Promise<import('../../core/adapter.mjs').PoolAdapter>} */
export function piscina(options = {}) {
  return runPool(Piscina, options);
}
