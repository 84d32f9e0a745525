/**
 * The `'thread'` context: a `worker_threads` Worker. Node drains a worker's
 * message and stdio ports before it emits 'exit', so by the time the exit is
 * reported, everything the worker printed has been written to our stdout.
 */
import { isMainThread, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { SpawnRequest, WorkerEvents, WorkerHandle } from '@mp/core';
import { entryUrl, fromSource, tsxBootstrap } from './entry.js';
import { closeGate, closeGateForGood, closeGatesNow } from './load-gate.js';
import { CELLS, PRINTED, TO_PARENT, TO_WORKER, waitForRing } from './doorbell.js';
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

/**
 * PRINTED (doorbell.ts): what a thread prints comes to this thread on Node's own port, through the event loop:
 * an answer taken by pollSync would overtake it, and a program that ends right after could lose it. So a batch
 * that printed is answered through the event loop, in order, as without the fast path.
 */
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

/** The worker's doorbell to this thread (TO_PARENT) as this thread last saw it: a ring past it is a message not taken yet. */
interface Seen {
  rung: number;
}

/**
 * Blocks up to `timeoutMs` for the worker's next message and delivers it: a wait on the worker's doorbell (it
 * rings after posting, so the message is there when it does), then `receiveMessageOnPort`. The wait is for a
 * ring past `seen`, which the last post here set: a worker that answered before this poll began (a quick task,
 * and this thread still busy with the post's bookkeeping) has rung already, and its answer is taken at once. A
 * wait for the next ring from here instead, as it once was, waited its whole time for a ring that had come: once V8
 * had compiled mp's code, every task awaited after a pause (a server's requests, a cluster host's) took 0.2 ms more.
 */
function pollPort(port: MessagePort, bell: Int32Array, events: WorkerEvents, timeoutMs: number, seen: Seen): boolean {
  const rung = seen.rung;
  if (Atomics.load(bell, PRINTED) === 0 && !waitForRing(bell, TO_PARENT, rung, timeoutMs, () => performance.now())) return false;
  // Read after the ring: the worker sets it before it posts.
  if (Atomics.load(bell, PRINTED) !== 0) return false;
  const got = receiveMessageOnPort(port);
  if (got === undefined) {
    // Its message went through the event loop already: wait for the next one from here.
    seen.rung = Atomics.load(bell, TO_PARENT);
    return false;
  }
  // One ring taken. Should the message have been one posted earlier (not rung for: a task's own), the next poll
  // waits for a ring that came already and ends in the event loop's way, as a miss does.
  seen.rung = rung + 1;
  events.onMessage(got.message);
  return true;
}

export function spawnThread(request: SpawnRequest, events: WorkerEvents): WorkerHandle {
  // The cells of doorbell.ts: a doorbell each way (an idle worker that watches its own takes the next message
  // at once instead of when its event loop wakes, and so does pollSync here), the load gate, PRINTED.
  const bell = new Int32Array(new SharedArrayBuffer(CELLS * 4));
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
  const worker = fromSource() ? new Worker(tsxBootstrap(), { ...options, eval: true }) : new Worker(entryUrl(), options);
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
  const seen: Seen = { rung: 0 };
  return {
    pid: worker.threadId,
    ...(port ? { pollSync: (timeoutMs: number) => pollPort(port, bell, events, timeoutMs, seen) } : {}),
    postMessage: (message, transfer) => {
      // Before the post: the worker may answer before pollSync begins.
      seen.rung = Atomics.load(bell, TO_PARENT);
      worker.postMessage(message, transfer as never);
      Atomics.add(bell, TO_WORKER, 1);
      Atomics.notify(bell, TO_WORKER);
    },
    terminate: (signal) => {
      requested ??= signal;
      closeGate(bell, () => void worker.terminate());
    },
    setRef: (ref) => (ref ? worker.ref() : worker.unref()),
  };
}
