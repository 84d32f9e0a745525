/**
 * The `'thread'` context: a Bun `Worker`. Bun reports a worker's end with a
 * 'close' event carrying its exit code (after `process.exit(n)` in the worker
 * too), delivered after the worker's last messages; a worker prints straight
 * to our stdout, so its output is out by then.
 */
import type { SpawnRequest, WorkerEvents, WorkerHandle } from '@mp/core';
import { entryUrl } from './entry.ts';

interface BunWorker {
  readonly threadId: number;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { message: string; error?: unknown; preventDefault(): void }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
  postMessage(message: unknown, transfer?: readonly object[]): void;
  terminate(): void;
  ref(): void;
  unref(): void;
}

type WorkerCtor = new (url: string, options: { name: string }) => BunWorker;
const Worker = (globalThis as unknown as { Worker: WorkerCtor }).Worker;

/** Bun's error event carries the error's printed text, not the error: keep its last `Name: message` line. */
function errorOf(event: { message: string; error?: unknown }): unknown {
  if (event.error != null) return event.error;
  const lines = [...event.message.matchAll(/^(?:(\w*Error)|error): (.*)$/gm)];
  const last = lines.at(-1);
  return Object.assign(new Error(last?.[2] ?? event.message), last?.[1] ? { name: last[1] } : {});
}

export function spawnThread(request: SpawnRequest, events: WorkerEvents): WorkerHandle {
  const worker = new Worker(entryUrl.href, { name: request.name });
  let requested: string | null = null;
  let errored = false;
  worker.addEventListener('message', (event) => events.onMessage(event.data));
  worker.addEventListener('error', (event) => {
    // Unhandled, Bun would rethrow the worker's error in this program.
    event.preventDefault();
    errored = true;
    events.onError(errorOf(event));
  });
  // Bun ends a worker on an unhandled rejection with code 0: an uncaught error is 1 everywhere else.
  worker.addEventListener('close', (event) => events.onExit(errored && event.code === 0 ? 1 : event.code, requested));
  return {
    pid: worker.threadId,
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    // A thread has no signals: terminate() stops it at once, and the signal asked for is reported.
    terminate: (signal) => {
      requested ??= signal;
      worker.terminate();
    },
    setRef: (ref) => (ref ? worker.ref() : worker.unref()),
  };
}
