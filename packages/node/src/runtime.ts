/** The Node runtime: threads by default, child processes on request. */
import { availableParallelism } from 'node:os';
import type { Runtime } from '@mp/core';
import { spawnThread } from './thread-worker.js';
import { spawnProcess } from './process-worker.js';

/** Node's `Runtime` (`worker_threads` and child processes), for adapter authors and tests; programs use `Pool` and `Process`. */
export const nodeRuntime: Runtime = {
  name: 'node',
  contexts: ['thread', 'process'],
  spawn: (request, events) => (request.context === 'process' ? spawnProcess(request, events) : spawnThread(request, events)),
  cpuCount: () => availableParallelism(),
  pid: () => process.pid,
  sharesMemory: (context) => context !== 'process',
  resourceLimits: true,
  // `MP_FAST_PATH=0` in the environment turns the fast path off (threads then have no pollSync either).
  get fastPath() {
    return process.env.MP_FAST_PATH !== '0';
  },
};
