/**
 * `@mp/core/worker`: what an adapter's worker entry calls to serve its parent.
 *
 * @example
 * import { runWorker } from '@mp/core/worker';
 * runWorker({ postMessage: (m, t) => parentPort.postMessage(m, t), onMessage: (h) => parentPort.on('message', h), exit: (c) => process.exit(c) });
 */
export { runWorker } from './internal/worker-runtime.js';
export { uncaughtIn } from './child.js';
export type { WorkerPort, TransferItem } from './runtime.js';
