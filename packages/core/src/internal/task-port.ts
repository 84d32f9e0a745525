/**
 * A private channel for the parent's messages to a Web-style worker (Deno, Bun): a `MessagePort` plus a
 * doorbell in shared memory, so an idle worker can take its next batch synchronously the moment it is sent
 * (`WorkerPort.receiveSync`), instead of when its event loop wakes for the worker's own `onmessage`.
 * The worker's messages to the parent keep the worker's own channel, so what a task posts there still
 * reaches the pool in order with mp's answers.
 *
 * The parent opens it right after starting the worker (`openTaskPort`); the worker's entry hands every
 * message of its own channel to `TaskPortReceiver.accept` first, which takes the port when it arrives.
 */
import type { TransferItem } from '../runtime.js';

const TASK_PORT = 'mp:task-port';

/** How long receiveSync spins before it sleeps on the doorbell for the rest of its wait. */
const SPIN_ALONE_MS = 0.03;

interface Port {
  postMessage(message: unknown, transfer?: readonly TransferItem[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

type ChannelCtor = new () => { port1: Port; port2: Port };

/** The parent's end: what the pool sends goes through `post`. */
export interface TaskPort {
  /** Sends one message to the worker and rings its doorbell. */
  post(message: unknown, transfer?: readonly TransferItem[]): void;
  /** Closes the parent's end (when the worker has ended). */
  close(): void;
}

/**
 * Opens the channel: `send` posts its setup message (the worker's end of the port) on the worker's own
 * channel. Returns `undefined` where the runtime has no `MessageChannel` or `SharedArrayBuffer`.
 */
export function openTaskPort(send: (message: unknown, transfer: readonly TransferItem[]) => void): TaskPort | undefined {
  const Channel = (globalThis as unknown as { MessageChannel?: ChannelCtor }).MessageChannel;
  if (!Channel || typeof SharedArrayBuffer !== 'function') return undefined;
  const { port1, port2 } = new Channel();
  const bell = new Int32Array(new SharedArrayBuffer(4));
  send({ type: TASK_PORT, port: port2, bell }, [port2]);
  return {
    post(message, transfer) {
      port1.postMessage(message, transfer ?? []);
      Atomics.add(bell, 0, 1);
      Atomics.notify(bell, 0);
    },
    close: () => port1.close(),
  };
}

/** The worker's end. */
export interface TaskPortReceiver {
  /** Takes the port if `data` is its setup message (then returns true); messages on it go to `handler`. */
  accept(data: unknown, handler: (message: unknown) => void): boolean;
  /** `WorkerPort.receiveSync` over the port: `undefined` until it has arrived. */
  receiveSync(timeoutMs: number): unknown;
}

/**
 * The worker's end, given the runtime's synchronous receive (`receiveMessageOnPort` of `node:worker_threads`,
 * which Deno and Bun have).
 */
export function taskPortReceiver(receive: (port: never) => { message: unknown } | undefined): TaskPortReceiver {
  let port: Port | undefined;
  let bell: Int32Array | undefined;
  const take = (): { message: unknown } | undefined => receive(port as never);
  return {
    accept(data, handler) {
      const d = data as { type?: unknown; port?: Port; bell?: unknown } | null;
      if (d === null || typeof d !== 'object' || d.type !== TASK_PORT || port !== undefined) return false;
      if (!(d.bell instanceof Int32Array) || typeof d.port?.postMessage !== 'function') return false;
      port = d.port;
      bell = d.bell;
      port.onmessage = (event) => handler(event.data);
      return true;
    },
    receiveSync(timeoutMs) {
      if (!port || !bell) return undefined;
      const rung = Atomics.load(bell, 0);
      const waiting = take();
      if (waiting) return waiting.message;
      const start = performance.now();
      if (!spin(bell, rung, start + Math.min(timeoutMs, SPIN_ALONE_MS))) {
        const left = timeoutMs - (performance.now() - start);
        if (left <= 0 || Atomics.wait(bell, 0, rung, left) === 'timed-out') return undefined;
      }
      return take()?.message;
    },
  };
}

/** Whether the doorbell moves from `rung` before `until`; a function of its own, so V8's on-stack compilation of the loop is kept. */
function spin(bell: Int32Array, rung: number, until: number): boolean {
  for (let i = 1; Atomics.load(bell, 0) === rung; i++) {
    if ((i & 63) === 0 && performance.now() > until) return false;
  }
  return true;
}
