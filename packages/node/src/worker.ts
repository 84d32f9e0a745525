/**
 * The entry every Node worker runs, thread or child process: it connects mp's
 * worker runtime to the parent's channel.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { runWorker, uncaughtIn } from '@mp/core/worker';

// A clock ready at start: the global `performance` loads perf_hooks on first touch (about 1 ms).
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

if (parentPort) {
  const port = parentPort;
  // The parent bumps this counter after each message it posts (see thread-worker.ts).
  const bell = (workerData as { mpBell?: Int32Array } | null)?.mpBell;
  runWorker({
    postMessage: (message, transfer) => port.postMessage(message, transfer as never),
    onMessage: (handler) => port.on('message', handler),
    exit: (code) => process.exit(code),
    now,
    receiveSync: (timeoutMs) => {
      if (!bell) return undefined;
      const rung = Atomics.load(bell, 0);
      const waiting = receiveMessageOnPort(port);
      if (waiting) return waiting.message as unknown;
      // Spin: waking a sleeping thread (Atomics.wait/notify, or the event loop) costs about as
      // much as the parent takes to answer. The pool asks for this only while a core is free.
      const until = now() + timeoutMs;
      for (let i = 1; Atomics.load(bell, 0) === rung; i++) {
        if ((i & 63) === 0 && now() > until) return undefined;
      }
      return receiveMessageOnPort(port)?.message as unknown;
    },
  });
} else if (process.send) {
  let last: Promise<void> = Promise.resolve();
  runWorker({
    postMessage: (message) => {
      let sent!: () => void;
      last = new Promise((resolve) => (sent = resolve));
      // Called here, not in the promise executor, so a clone error throws to the caller.
      process.send!(message, undefined, undefined, () => sent());
    },
    onMessage: (handler) => process.on('message', handler),
    onUncaught: uncaughtIn(process),
    // Exit only once the last message has left, or the parent would never see it.
    exit: (code) => void last.then(() => process.exit(code)),
    now,
  });
} else {
  throw new Error('@mp/node/worker is the entry of mp workers; it is started by Pool and Process, not run directly');
}
