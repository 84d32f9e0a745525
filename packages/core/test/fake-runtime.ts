/**
 * An in-memory runtime: each "worker" is mp's real worker runtime running in
 * this thread, connected by cloned, asynchronously delivered messages. It lets
 * core's scheduling be tested fast and deterministically, and counts traffic.
 */
import type { Runtime, WorkerEvents, WorkerHandle, WorkerPort } from '../src/runtime.ts';
import { runWorker } from '../src/internal/worker-runtime.ts';

interface FakeWorker {
  alive: boolean;
  exit(code: number | null, signal: string | null): void;
}

let running: FakeWorker | undefined;

/** Called by a task to make its fake worker die mid-task, as `process.exit(code)` would. */
(globalThis as Record<string, unknown>).__fakeExit = (code: number) => {
  running?.exit(code, null);
  throw new Error('fake worker exited');
};

export interface Traffic {
  spawned: number;
  toWorker: { type: string; jobs?: { spec?: unknown }[] }[];
}

export function fakeRuntime(): Runtime & { traffic: Traffic } {
  const traffic: Traffic = { spawned: 0, toWorker: [] };
  let ids = 0;
  return {
    name: 'fake',
    contexts: ['thread'],
    traffic,
    cpuCount: () => 2,
    pid: () => 1,
    spawn(_request, events: WorkerEvents): WorkerHandle {
      traffic.spawned++;
      let handler: ((m: unknown) => void) | undefined;
      const worker: FakeWorker = {
        alive: true,
        exit(code, signal) {
          if (!worker.alive) return;
          worker.alive = false;
          setTimeout(() => events.onExit(code, signal), 5);
        },
      };
      const port: WorkerPort = {
        postMessage(message, transfer) {
          if (!worker.alive) return;
          const copy = structuredClone(message, { transfer: [...(transfer ?? [])] as never[] });
          // Sent before the worker ended, so it arrives (as a real port delivers queued messages).
          setTimeout(() => events.onMessage(copy), 0);
        },
        onMessage: (h) => (handler = h),
        exit: (code) => worker.exit(code, null),
      };
      runWorker(port);
      let requested: string | null = null;
      return {
        pid: ++ids,
        postMessage(message, transfer) {
          const copy = structuredClone(message, { transfer: [...(transfer ?? [])] as never[] });
          traffic.toWorker.push(copy as Traffic['toWorker'][number]);
          setTimeout(() => {
            if (!worker.alive) return;
            running = worker;
            try {
              handler?.(copy);
            } finally {
              running = undefined;
            }
          }, 0);
        },
        terminate(signal) {
          requested ??= signal;
          worker.exit(1, requested);
        },
        setRef: () => {},
      };
    },
  };
}
