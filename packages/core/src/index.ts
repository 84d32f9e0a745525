/**
 * `@mp/core`: the runtime-agnostic core of mp — Python's multiprocessing for
 * JavaScript. Users import an adapter (`@mp/node`, …), which re-exports this API
 * bound to its runtime; adapter authors implement `Runtime` and `WorkerPort`.
 */
export * from './pool-api.js';
export * from './shared-state.js';
