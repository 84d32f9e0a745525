/** The Bun runtime: `Worker` threads by default, child processes on request. */
import type { Runtime } from '@mp/core';
import { spawnThread } from './thread-worker.ts';
import { spawnProcess } from './process-worker.ts';

const { navigator } = globalThis as unknown as { navigator: { hardwareConcurrency: number } };

export const bunRuntime: Runtime & { sharesMemory(context: string): boolean } = {
  name: 'bun',
  contexts: ['thread', 'process'],
  spawn: (request, events) => (request.context === 'process' ? spawnProcess(request, events) : spawnThread(request, events)),
  cpuCount: () => Math.max(1, navigator.hardwareConcurrency || 1),
  pid: () => process.pid,
  // Child processes have their own memory: no SharedArrayBuffer crosses to them.
  sharesMemory: (context) => context === 'thread',
};
