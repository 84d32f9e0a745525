/**
 * The `'thread'` context: a `worker_threads` Worker. Node drains a worker's
 * message and stdio ports before it emits 'exit', so by the time the exit is
 * reported, everything the worker printed has been written to our stdout.
 */
import { isMainThread, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
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

/** How long pollSync spins before it sleeps on the doorbell for the rest of its wait. */
const SPIN_ALONE_MS = 0.03;

/** Index of the worker's doorbell in the thread's shared Int32Array: bumped after each message it posts. */
const WORKER_BELL = 2;
/**
 * Index of a flag the worker sets when it writes to its stdout or stderr during a batch (see worker.ts). What a
 * thread prints comes to this thread on Node's own port, through the event loop: an answer taken by pollSync
 * would overtake it, and a program that ends right after could lose it. So a batch that printed is answered
 * through the event loop, in order, as without the fast path.
 */
const PRINTED = 3;

// The port a Worker emits its 'message' events from: a plain MessagePort Node keeps under a symbol
// (`kPublicPort`, the parent's end of the channel whose other end is the thread's `parentPort`, the same
// from Node 12 through 26). `receiveMessageOnPort` takes a message from it synchronously, in order with
// the events. Found by its description; where it is missing, threads have no `pollSync` and results
// arrive through the event loop, as before.
// `MP_FAST_PATH=0` in the environment turns it off (the tests run both ways).
let publicPortKey: symbol | null | undefined;

function publicPort(worker: Worker): MessagePort | undefined {
  if (process.env.MP_FAST_PATH === '0') return undefined;
  if (publicPortKey === undefined) {
    publicPortKey = Object.getOwnPropertySymbols(worker).find((s) => s.description === 'kPublicPort') ?? null;
  }
  if (publicPortKey === null) return undefined;
  const port = (worker as unknown as Record<symbol, unknown>)[publicPortKey];
  return port !== null && typeof port === 'object' && typeof (port as MessagePort).postMessage === 'function' ? (port as MessagePort) : undefined;
}

/**
 * Blocks up to `timeoutMs` for the worker's next message and delivers it: `receiveMessageOnPort` at
 * once, else a spin on the worker's doorbell (it rings after posting, so the message is there when it
 * does). A sleeping wait (Atomics.wait) would cost as much as the event loop: about 14 µs to wake here.
 */
function pollPort(port: MessagePort, bell: Int32Array, events: WorkerEvents, timeoutMs: number): boolean {
  const rung = Atomics.load(bell, WORKER_BELL);
  if (Atomics.load(bell, PRINTED) === 0 && Atomics.load(bell, WORKER_BELL) === rung) {
    const start = performance.now();
    if (!spin(bell, rung, start + Math.min(timeoutMs, SPIN_ALONE_MS))) {
      const left = timeoutMs - (performance.now() - start);
      if (left <= 0 || Atomics.wait(bell, WORKER_BELL, rung, left) === 'timed-out') return false;
    }
  }
  // Read after the ring: the worker sets it before it posts.
  if (Atomics.load(bell, PRINTED) !== 0) return false;
  const got = receiveMessageOnPort(port);
  if (got === undefined) return false;
  events.onMessage(got.message);
  return true;
}

/**
 * Whether the worker's doorbell moves from `rung` before `until`. A function of its own: V8 compiles a
 * long-running loop on the stack (OSR), and code after the loop in the same function, never run before,
 * sent it back to the interpreter each time (measured: 300 deoptimizations in a pool's first 2,000 tasks,
 * which ran at 100 µs each instead of 15).
 */
function spin(bell: Int32Array, rung: number, until: number): boolean {
  for (let i = 1; Atomics.load(bell, WORKER_BELL) === rung; i++) {
    if ((i & 63) === 0 && performance.now() > until) return false;
  }
  return true;
}

export function spawnThread(request: SpawnRequest, events: WorkerEvents): WorkerHandle {
  // [0] a doorbell: a counter bumped after each message, so an idle worker that watches it
  // (WorkerPort.receiveSync) takes the message at once instead of when its event loop wakes;
  // [1] the load gate (load-gate.ts); [2] the worker's doorbell, the same the other way (pollSync); [3] PRINTED.
  const bell = new Int32Array(new SharedArrayBuffer(16));
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
  const port = publicPort(worker);
  return {
    pid: worker.threadId,
    ...(port ? { pollSync: (timeoutMs: number) => pollPort(port, bell, events, timeoutMs) } : {}),
    postMessage: (message, transfer) => {
      worker.postMessage(message, transfer as never);
      Atomics.add(bell, 0, 1);
      Atomics.notify(bell, 0);
    },
    terminate: (signal) => {
      requested ??= signal;
      closeGate(bell, () => void worker.terminate());
    },
    setRef: (ref) => (ref ? worker.ref() : worker.unref()),
  };
}
