/**
 * `pool[POOL_LIKE](overrides)` makes a new pool like `pool` (the same runtime, context, size, initializer and
 * limits) with some options replaced. For code that runs work on a pool it was handed and must honour an option
 * its callers set: a cluster host runs the tasks of a caller pool made with `maxTasksPerChild` on such a pool.
 * A registered symbol, so the pools of every bundle of core answer to it.
 */
export const POOL_LIKE: unique symbol = Symbol.for('@mp/core.pool-like') as never;

/** The options `pool[POOL_LIKE]()` may replace. */
export interface PoolLikeOverrides {
  /** The new pool's `maxTasksPerChild`: its workers are replaced after that many tasks. */
  maxTasksPerChild?: number;
}
