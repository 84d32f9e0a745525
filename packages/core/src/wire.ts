/**
 * `@mp/core/wire`: what a context that carries mp's worker protocol over its own channel needs (a cluster's
 * workers live behind a network queue): the protocol's message types, a binary encoding of structured-cloneable
 * data that runs in every runtime, errors as data, and a task made back from a spec it received.
 *
 * @example
 * import { serialize, deserialize } from '@mp/core/wire';
 * const bytes = serialize({ type: 'run', jobs: [] });
 */
export { serialize, deserialize } from './internal/serialize.js';
export { serializeError, toRemoteError, reviveError } from './internal/error-wire.js';
export type { SerializedError } from './internal/error-wire.js';
export { fnFromSpec } from './task.js';
export type { FnSpec, JobMode, WireJob, WireResult, ToWorker, FromWorker, ProcessInfo } from './internal/protocol.js';
export { POOL_LIKE } from './internal/pool-like.js';
/**
 * The check every mp constructor makes of its option names (`unknown option "nmae" for cluster(); the options are …`),
 * and how mp's messages show a value received (`"4" (string)`).
 */
export { checkKnownOptions, show } from './internal/validate.js';
export type { PoolLikeOverrides } from './internal/pool-like.js';
