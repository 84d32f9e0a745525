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
  toWorker: { type: string; linger?: boolean; jobs?: { spec?: unknown }[] }[];
  /** Calls of the port's receiveSync with a wait (an idle worker lingering), and how many calls found a message. */
  lingered: number;
  caught: number;
  /** Calls of receiveSync without a wait (a worker looking for what arrived while it started). */
  polled: number;
  /** Batches answered by the workers. */
  done: number;
  /** Messages that waited for the last worker to start (sent before it booted). */
  queuedAtBoot: number;
  /** Answers the pool took by pollSync. */
  answeredSync: number;
}

export interface FakeOptions {
  /** How long a worker takes to start; messages sent meanwhile wait for it, as with a real port. */
  bootMs?: number;
  /** The workers' clock, by which they report how long each batch ran (default: the real one). */
  clock?: () => number;
  /** The ports' WorkerPort.importSync (default: none). */
  importSync?: WorkerPort['importSync'];
  /**
   * Give the handles WorkerHandle.pollSync: the worker runs what was sent to it at once, as a real thread
   * would while the pool waits, and its answer is taken (default: no pollSync).
   */
  pollSync?: boolean;
}

export function fakeRuntime(cpus = 2, { bootMs = 0, clock, importSync, pollSync = false }: FakeOptions = {}): Runtime & { traffic: Traffic } {
  const traffic: Traffic = { spawned: 0, toWorker: [], lingered: 0, caught: 0, polled: 0, done: 0, queuedAtBoot: 0, answeredSync: 0 };
  let ids = 0;
  return {
    name: 'fake',
    contexts: ['thread'],
    traffic,
    cpuCount: () => cpus,
    pid: () => 1,
    // Its workers run on this thread: a lane's blocking waits (lane.ts) cannot be met here.
    fastPath: false,
    spawn(_request, events: WorkerEvents): WorkerHandle {
      traffic.spawned++;
      let handler: ((m: unknown) => void) | undefined;
      // Sent and not yet delivered: receiveSync may take them first (one thread cannot wait, so it only looks).
      const queued: unknown[] = [];
      // Posted by the worker and not yet delivered: pollSync may take them first.
      const answers: unknown[] = [];
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
          if ((message as { type: string }).type === 'done') traffic.done++;
          const copy = structuredClone(message, { transfer: [...(transfer ?? [])] as never[] });
          answers.push(copy);
          // Sent before the worker ended, so it arrives (as a real port delivers queued messages).
          setTimeout(() => {
            const at = answers.indexOf(copy);
            if (at < 0) return; // taken by pollSync
            answers.splice(at, 1);
            events.onMessage(copy);
          }, 0);
        },
        onMessage: (h) => (handler = h),
        exit: (code) => worker.exit(code, null),
        ...(clock ? { now: clock } : {}),
        ...(importSync ? { importSync } : {}),
        receiveSync: (timeoutMs) => {
          if (timeoutMs > 0) traffic.lingered++;
          else traffic.polled++;
          if (queued.length === 0) return undefined;
          traffic.caught++;
          return queued.shift();
        },
      };
      let booted = false;
      const deliver = (copy: unknown): void => {
        const at = queued.indexOf(copy);
        if (at < 0) return; // taken by receiveSync
        queued.splice(at, 1);
        if (!worker.alive) return;
        running = worker;
        try {
          handler?.(copy);
        } finally {
          running = undefined;
        }
      };
      const boot = (): void => {
        traffic.queuedAtBoot = queued.length;
        runWorker(port);
        booted = true;
        // What the worker did not take at start arrives now, in order.
        for (const copy of [...queued]) setTimeout(() => deliver(copy), 0);
      };
      if (bootMs > 0) setTimeout(boot, bootMs);
      else boot();
      let requested: string | null = null;
      const poll = (): boolean => {
        if (booted) for (const copy of [...queued]) deliver(copy);
        const answer = answers.shift();
        if (answer === undefined) return false;
        traffic.answeredSync++;
        events.onMessage(answer);
        return true;
      };
      return {
        pid: ++ids,
        ...(pollSync ? { pollSync: poll } : {}),
        postMessage(message, transfer) {
          const copy = structuredClone(message, { transfer: [...(transfer ?? [])] as never[] });
          traffic.toWorker.push(copy as Traffic['toWorker'][number]);
          queued.push(copy);
          if (booted) setTimeout(() => deliver(copy), 0);
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
