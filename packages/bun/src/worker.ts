/**
 * The entry every Bun worker runs, thread or child process: it connects mp's
 * worker runtime to the parent's channel. `process.exit(n)` ends a worker
 * thread with code `n` in Bun; Bun has no `self.close()`, so a thread gets one
 * that does `process.exit(0)`, as a Web Worker's would.
 */
import { isMainThread } from 'node:worker_threads';
import { runWorker, uncaughtIn } from '@mp/core/worker';

interface WorkerScope {
  postMessage(message: unknown, transfer?: readonly object[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close?: () => void;
}

if (!isMainThread) {
  const scope = globalThis as unknown as WorkerScope;
  scope.close ??= () => process.exit(0);
  runWorker({
    postMessage: (message, transfer) => scope.postMessage(message, transfer),
    onMessage: (handler) => {
      scope.onmessage = (event) => handler(event.data);
    },
    exit: (code) => process.exit(code),
  });
} else if (process.send) {
  const send = process.send.bind(process);
  let last: Promise<void> = Promise.resolve();
  runWorker({
    postMessage: (message) => {
      let sent!: () => void;
      last = new Promise((resolve) => (sent = resolve));
      // Called here, not in the promise executor, so a clone error throws to the caller.
      send(message, undefined, undefined, () => sent());
    },
    onMessage: (handler) => process.on('message', handler),
    onUncaught: uncaughtIn(process),
    // Gone already when the channel closed while this child was still loading.
    onParentGone: (handler) => (process.connected ? void process.once('disconnect', handler) : queueMicrotask(handler)),
    // Exit only once the last message has left, or the parent might never see it.
    exit: (code) => void last.then(() => process.exit(code)),
  });
} else {
  throw new Error('@mp/bun/worker is the entry of mp workers; it is started by Pool and Process, not run directly');
}
