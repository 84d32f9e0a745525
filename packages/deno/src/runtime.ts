/**
 * The Deno runtime: each worker is a module Web Worker. Deno reports nothing
 * when a Web Worker ends, so the end is pieced together here: the entry's
 * `ExitMessage` for a worker that ends itself, the 'error' event for an
 * uncaught error (Deno ends the worker), and `terminate()` for ends we ask for.
 * A worker prints straight to our stdout, synchronously, before it posts its
 * last message, so its output is out by the time the end is reported.
 */
import type { Runtime, SpawnRequest, WorkerEvents, WorkerHandle } from '@mp/core';
import { ID_MESSAGE, IDS_KEY, isExitMessage, type IdMessage } from './exit-message.ts';
import { spawnProcess } from './process-worker.ts';

/**
 * What `permissions` accepts: Deno's own worker permission options. `'none'`,
 * `'inherit'`, or per permission `'inherit'`, `true`, `false` or a list
 * (paths, hosts, names). Permissions left out are not granted.
 */
export type DenoPermissions =
  | 'inherit'
  | 'none'
  | Partial<Record<'read' | 'write' | 'net' | 'env' | 'sys' | 'run' | 'ffi' | 'import', 'inherit' | boolean | string[]>>;

interface WebWorker {
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message: string; error?: unknown; preventDefault(): void }) => void) | null;
  postMessage(message: unknown, transfer?: readonly object[]): void;
  terminate(): void;
}

interface DenoGlobals {
  Worker: new (url: URL, options: { type: 'module'; name: string; deno?: { permissions: DenoPermissions } }) => WebWorker;
  Deno: { pid: number };
  navigator: { hardwareConcurrency: number };
}

interface DenoEnv {
  permissions: { querySync(query: { name: 'env'; variable: string }): { state: string } };
  env: { get(name: string): string | undefined };
}

const g = globalThis as unknown as DenoGlobals;
const entryUrl = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
/**
 * Worker ids, unique in the program: one counter in shared memory for every thread of it, so that a worker's own
 * workers (a pool inside a task, a Process inside a target) do not count from 1 again. The main program makes it;
 * each worker gets it before anything else (`ID_MESSAGE`) and keeps it on `globalThis`, where every copy of this
 * adapter loaded in that worker finds it.
 */
function idCells(): Int32Array {
  const holder = globalThis as unknown as Record<symbol, Int32Array | undefined>;
  return (holder[IDS_KEY] ??= new Int32Array(new SharedArrayBuffer(4)));
}

/** Deno's ErrorEvent carries the error's text, not the error: rebuild `Uncaught RangeError: x` as a RangeError-named Error. */
function errorOf(event: { message: string; error?: unknown }): unknown {
  if (event.error != null) return event.error;
  const text = event.message.replace(/^Uncaught (\(in promise\) )?/, '');
  const parts = /^(\w*Error): ([\s\S]*)$/.exec(text);
  return Object.assign(new Error(parts?.[2] ?? text), parts?.[1] ? { name: parts[1] } : {});
}

export function spawnWorker(request: SpawnRequest, events: WorkerEvents, permissions?: DenoPermissions): WorkerHandle {
  const ids = idCells();
  const pid = Atomics.add(ids, 0, 1) + 1;
  let ended = false;
  const end = (code: number | null, signal: string | null): void => {
    if (ended) return;
    ended = true;
    worker?.terminate();
    // Never synchronously inside a call from core: report on a later turn, as other runtimes do.
    setTimeout(() => events.onExit(code, signal), 0);
  };
  let worker: WebWorker | undefined;
  try {
    worker = new g.Worker(entryUrl, { type: 'module', name: request.name, ...(permissions ? { deno: { permissions } } : {}) });
  } catch (error) {
    // e.g. NotCapable: permissions wider than the program's own.
    events.onError(error);
    end(1, null);
  }
  if (worker) {
    // First, before core's own messages: the counter its workers take their ids from.
    worker.postMessage({ type: ID_MESSAGE, ids } satisfies IdMessage);
    worker.onmessage = (event) => {
      if (ended) return;
      if (isExitMessage(event.data)) end(event.data.code, null);
      else events.onMessage(event.data);
    };
    worker.onerror = (event) => {
      // Unhandled, Deno would rethrow the worker's error in this program. It ends the worker either way.
      event.preventDefault();
      if (ended) return;
      events.onError(errorOf(event));
      end(1, null);
    };
  }
  return {
    pid,
    postMessage: (message, transfer) => {
      if (!ended) worker?.postMessage(message, transfer);
    },
    // A thread has no signals: terminate() stops it at once, and the signal asked for is reported.
    terminate: (signal) => end(null, signal),
    // Deno has no way to unreference a Web Worker: a live worker keeps the program running.
    setRef: () => {},
  };
}

/** Starts a worker of `request.context`: a Web Worker (`'thread'`) or a child `deno` process (`'process'`). */
export function spawnDeno(request: SpawnRequest, events: WorkerEvents, permissions?: DenoPermissions): WorkerHandle {
  return request.context === 'process' ? spawnProcess(request, events, permissions) : spawnWorker(request, events, permissions);
}

/** Deno's `Runtime` (module Web Workers and child `deno` processes), for adapter authors and tests; programs use `Pool` and `Process`. */
export const denoRuntime: Runtime = {
  name: 'deno',
  contexts: ['thread', 'process'],
  spawn: (request, events) => spawnDeno(request, events),
  // Child processes have their own memory: no SharedArrayBuffer crosses to them.
  sharesMemory: (context) => context !== 'process',
  // `MP_FAST_PATH=0` turns the shared-memory fast path off (read only where the program may read the environment).
  get fastPath() {
    const deno = (globalThis as unknown as { Deno: DenoEnv }).Deno;
    const query = { name: 'env', variable: 'MP_FAST_PATH' } as const;
    return deno.permissions.querySync(query).state !== 'granted' || deno.env.get('MP_FAST_PATH') !== '0';
  },
  cpuCount: () => Math.max(1, g.navigator.hardwareConcurrency || 1),
  pid: () => g.Deno.pid,
};
