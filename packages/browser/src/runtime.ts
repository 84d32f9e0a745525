/**
 * The browser runtime: each worker is a module Web Worker. A browser tells a
 * worker's page nothing when the worker ends, so the end is pieced together
 * here: the entry's exit message for a worker that ends itself (`self.close()`,
 * or an uncaught error, which a browser would otherwise let the worker survive),
 * the `error` event for an entry that fails to load, and `terminate()` for ends
 * mp asks for. The worker's printed lines travel on its channel ahead of its
 * exit message, so they have reached the page by the time the end is reported.
 */
import type { Runtime, SpawnRequest, WorkerEvents, WorkerHandle } from '@mp/core';
import { isAdapterMessage, type AdapterMessage } from './messages.js';
import { deliver } from './output.js';

let lastId = 0;

/** A worker's `error` event carries text at best (a failed load carries nothing): make an Error of it. */
function errorOf(event: Event, name: string): unknown {
  const e = event as Partial<ErrorEvent>;
  if (e.error != null) return e.error;
  if (!e.message) return new Error(`worker ${name} failed to start: mp's worker entry could not be loaded or run`);
  const text = e.message.replace(/^Uncaught (\(in promise\) )?/, '');
  const parts = /^(\w*Error): ([\s\S]*)$/.exec(text);
  return Object.assign(new Error(parts?.[2] ?? text), parts?.[1] ? { name: parts[1] } : {});
}

export function spawnWorker(request: SpawnRequest, events: WorkerEvents): WorkerHandle {
  const pid = ++lastId;
  let ended = false;
  let worker: Worker | undefined;
  const end = (code: number | null, signal: string | null): void => {
    if (ended) return;
    ended = true;
    worker?.terminate();
    // Never synchronously inside a call from core: report on a later turn, as other runtimes do.
    setTimeout(() => events.onExit(code, signal), 0);
  };
  const own = (message: AdapterMessage): void => {
    if (message.type === 'browser:output') {
      const stream = message.level === 'warn' || message.level === 'error' ? 'stderr' : 'stdout';
      deliver({ worker: request.name, stream, text: message.text }, message.level);
      return;
    }
    if (message.error !== undefined) events.onError(message.error);
    end(message.code, null);
  };
  try {
    // The literal form bundlers recognise: Vite and others bundle the entry and rewrite this URL.
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: request.name });
  } catch (error) {
    // e.g. a Content Security Policy without `worker-src` for this origin.
    events.onError(error);
    end(1, null);
  }
  if (worker) {
    worker.onmessage = (event: MessageEvent) => {
      if (ended) return;
      if (isAdapterMessage(event.data)) own(event.data);
      else events.onMessage(event.data);
    };
    worker.onmessageerror = () => {
      if (ended) return;
      // A message that could not be read is lost, and the parent would wait for it forever.
      events.onError(new Error(`a message from worker ${request.name} could not be deserialized`));
      end(1, null);
    };
    worker.onerror = (event: Event) => {
      event.preventDefault();
      if (ended) return;
      events.onError(errorOf(event, request.name));
      end(1, null);
    };
  }
  return {
    pid,
    postMessage: (message, transfer) => {
      if (!ended) worker?.postMessage(message, (transfer ?? []) as Transferable[]);
    },
    // A Web Worker has no signals: terminate() stops it at once, and the signal asked for is reported.
    terminate: (signal) => end(null, signal),
    // A page has no notion of a worker keeping it alive.
    setRef: () => {},
  };
}

/** The browser's `Runtime` (module Web Workers), for adapter authors and tests; programs use `Pool` and `Process`. */
export const browserRuntime: Runtime = {
  name: 'browser',
  contexts: ['thread'],
  spawn: spawnWorker,
  cpuCount: () => Math.max(1, navigator.hardwareConcurrency || 1),
  // A page has no process id: the page is 0, its workers 1, 2, 3…
  pid: () => 0,
  // Without cross-origin isolation there is no SharedArrayBuffer to share.
  sharesMemory: () => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  // A page has no environment: `globalThis.MP_FAST_PATH = '0'` turns the shared-memory fast path off.
  get fastPath() {
    return (globalThis as { MP_FAST_PATH?: unknown }).MP_FAST_PATH !== '0';
  },
};
