/**
 * `@mp/core`: the runtime-agnostic core of mp — Python's multiprocessing for
 * JavaScript. Users import an adapter (`@mp/node`, …), which re-exports this API
 * bound to its runtime; adapter authors implement `Runtime` and `WorkerPort`.
 */
export * from './pool-api.js';
export * from './shared-state.js';

// Run from its source (tests), the lanes use serialize.ts itself; the built index's say where (entry.ts).
import { setLaneCodec } from './internal/lane.js';
import { deserialize, encode } from './internal/serialize.js';

setLaneCodec(() => ({ encode, deserialize }));
