/**
 * The `'thread'` context: a `worker_threads` Worker. Its output is piped through
 * the parent so the exit is reported only after everything it printed arrived.
 */
import { Worker } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import type { SpawnRequest, WorkerEvents, WorkerHandle } from '@mp/core';
import { entryUrl, fromSource, tsxBootstrap } from './entry.js';
import { forward } from './output.js';

export function spawnThread(request: SpawnRequest, events: WorkerEvents): WorkerHandle {
  const options = {
    name: request.name,
    stdout: true,
    stderr: true,
    env: { ...process.env, MP_WORKER: '1' },
    ...(request.resourceLimits ? { resourceLimits: request.resourceLimits } : {}),
  };
  const worker = fromSource ? new Worker(tsxBootstrap(), { ...options, eval: true }) : new Worker(entryUrl, options);
  let requested: string | null = null;
  let pending = 3;
  let exitCode: number | null = null;
  const settle = (): void => {
    if (--pending === 0) events.onExit(exitCode, requested);
  };
  forward(worker.stdout as Readable, process.stdout, settle);
  forward(worker.stderr as Readable, process.stderr, settle);
  worker.on('message', (m: unknown) => events.onMessage(m));
  worker.on('error', (e) => events.onError(e));
  worker.once('exit', (code) => {
    exitCode = code;
    settle();
  });
  return {
    pid: worker.threadId,
    postMessage: (message, transfer) => worker.postMessage(message, transfer as never),
    terminate: (signal) => {
      requested ??= signal;
      void worker.terminate();
    },
    setRef: (ref) => (ref ? worker.ref() : worker.unref()),
  };
}
