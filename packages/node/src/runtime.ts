/** The Node runtime: threads by default, child processes on request. */
import type * as NodeOs from 'node:os';
import type { Runtime } from '@mp/core';
import { spawnThread } from './thread-worker.js';
import { spawnProcess } from './process-worker.js';

/**
 * `node:os` is taken when a pool first asks for the CPU count, not at import: it is about 0.5 ms of
 * `import('@mp/node')` (its binding and module) for one number. (`process.getBuiltinModule`: Node 20.16+.)
 */
function availableParallelism(): number {
  const builtin = process as unknown as { getBuiltinModule(id: 'node:os'): typeof NodeOs };
  return builtin.getBuiltinModule('node:os').availableParallelism();
}

/** Node's `Runtime` (`worker_threads` and child processes), for adapter authors and tests; programs use `Pool` and `Process`. */
export const nodeRuntime: Runtime = {
  name: 'node',
  contexts: ['thread', 'process'],
  spawn: (request, events) => (request.context === 'process' ? spawnProcess(request, events) : spawnThread(request, events)),
  cpuCount: () => availableParallelism(),
  pid: () => process.pid,
  sharesMemory: (context) => context !== 'process',
  resourceLimits: true,
};
