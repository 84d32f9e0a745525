/** The Bun runtime: `Worker` threads by default, child processes on request. */
import type { Runtime } from '@mp/core';
import { spawnThread } from './thread-worker.ts';
import { spawnProcess } from './process-worker.ts';

const { navigator } = globalThis as unknown as { navigator: { hardwareConcurrency: number } };

/** Bun's `Runtime` (Workers and child processes), for adapter authors and tests; programs use `Pool` and `Process`. */
export const bunRuntime: Runtime & {
  /** Whether workers of `context` share memory with this one: threads do, child processes do not. */
  sharesMemory(context: string): boolean;
} = {
  name: 'bun',
  contexts: ['thread', 'process'],
  spawn: (request, events) => (request.context === 'process' ? spawnProcess(request, events) : spawnThread(request, events)),
  cpuCount: () => Math.max(1, navigator.hardwareConcurrency || 1),
  pid: () => process.pid,
  // Child processes have their own memory: no SharedArrayBuffer crosses to them.
  sharesMemory: (context) => context === 'thread',
  // `MP_FAST_PATH=0` in the environment turns the shared-memory fast path off.
  get fastPath() {
    return process.env.MP_FAST_PATH !== '0';
  },
};
