/**
 * The `'thread'` context: a `worker_threads` Worker. Node drains a worker's
 * message and stdio ports before it emits 'exit', so by the time the exit is
 * reported, everything the worker printed has been written to our stdout.
 */
import { isMainThread, Worker } from 'node:worker_threads';
import type { SpawnRequest, WorkerEvents, WorkerHandle } from '@mp/core';
import { entryUrl, fromSource, tsxBootstrap } from './entry.js';
import { closeGate, closeGateForGood, closeGatesNow } from './load-gate.js';
import { setUpStdio, stdioOptions } from './thread-stdio.js';

// The load gates of the live thread workers: none may be inside require() of a module when the program
// exits and Node ends them (see load-gate.ts).
const gates = new Set<Int32Array>();
let watchingExit = false;

function watchExit(): void {
  if (watchingExit) return;
  watchingExit = true;
  process.on('exit', () => closeGatesNow(gates));
}

export function spawnThread(request: SpawnRequest, events: WorkerEvents): WorkerHandle {
  // [0] a doorbell: a counter bumped after each message, so an idle worker that watches it
  // (WorkerPort.receiveSync) takes the message at once instead of when its event loop wakes;
  // [1] the load gate (load-gate.ts).
  const bell = new Int32Array(new SharedArrayBuffer(8));
  if (!isMainThread) closeGateForGood(bell);
  const options = {
    name: request.name,
    workerData: { mpBell: bell },
    // No `env`: a thread knows it is a worker (`isMainThread` of worker_threads), and Node's own copy of
    // process.env is cheaper than one spread here (about 0.3 ms a worker with a package manager's environment).
    ...(request.resourceLimits ? { resourceLimits: request.resourceLimits } : {}),
    // Its stdio is set up once it has started (thread-stdio.ts).
    ...stdioOptions(),
  };
  const worker = fromSource ? new Worker(tsxBootstrap(), { ...options, eval: true }) : new Worker(entryUrl, options);
  if (options.stdout) setUpStdio(worker);
  let requested: string | null = null;
  worker.on('message', (m: unknown) => events.onMessage(m));
  worker.on('error', (e) => events.onError(e));
  gates.add(bell);
  watchExit();
  worker.once('exit', (code) => {
    gates.delete(bell);
    events.onExit(code, requested);
  });
  return {
    pid: worker.threadId,
    postMessage: (message, transfer) => {
      worker.postMessage(message, transfer as never);
      Atomics.add(bell, 0, 1);
    },
    terminate: (signal) => {
      requested ??= signal;
      closeGate(bell, () => void worker.terminate());
    },
    setRef: (ref) => (ref ? worker.ref() : worker.unref()),
  };
}
