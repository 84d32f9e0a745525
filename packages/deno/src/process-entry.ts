/**
 * The entry of a Deno worker in the `'process'` context: a child `deno run`
 * whose parent talks to it over Node's IPC channel (`process.send`), as
 * `fork()` sets it up. It marks itself as a worker (for `isMainThread`) before
 * any task module loads.
 */
import process from 'node:process';
import { runWorker, uncaughtIn } from '@mp/core/worker';
import { assertCloneable } from './cloneable.ts';

(globalThis as Record<symbol, unknown>)[Symbol.for('mp.deno.child')] = true;

if (!process.send) {
  throw new Error('@mp/deno/process-entry is the entry of mp child processes; it is started by Pool and Process, not run directly');
}
const send = process.send.bind(process);
let last: Promise<void> = Promise.resolve();
runWorker({
  postMessage: (message) => {
    // Deno's send finds an uncloneable value only after it began writing (see cloneable.ts): check first.
    assertCloneable(message);
    let sent!: () => void;
    last = new Promise((resolve) => (sent = resolve));
    send(message, undefined, undefined, () => sent());
  },
  onMessage: (handler) => void process.on('message', handler),
  onUncaught: uncaughtIn(process),
  // Gone already when the channel closed while this child was still loading.
  onParentGone: (handler) => (process.connected ? void process.once('disconnect', handler) : queueMicrotask(handler)),
  // Exit only once the last message has left, or the parent would never see it.
  exit: (code) => void last.then(() => process.exit(code)),
});
