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
/** How often a child looks whether its parent is still there (onParentGone). */
const PARENT_WATCH_MS = 1000;
/** The parent has gone (WorkerPort.onParentGone): nothing sent now will be called back. */
let parentGone = false;
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
  onParentGone: (handler) => {
    const parent = process.ppid;
    const gone = (): void => {
      if (parentGone) return;
      parentGone = true;
      clearInterval(watch);
      handler();
    };
    // Deno does not always emit 'disconnect' when the parent dies: a Process child killed with its parent (SIGTERM)
    // ran on as an orphan in about one run in five on a loaded machine. So this child also looks at its parent's
    // pid once a second (an orphan is adopted: its ppid changes), on a timer that does not keep it alive.
    const watch = setInterval(() => process.ppid !== parent && gone(), PARENT_WATCH_MS);
    (globalThis as unknown as { Deno: { unrefTimer(id: number): void } }).Deno.unrefTimer(watch as unknown as number);
    if (process.connected) process.once('disconnect', gone);
    else queueMicrotask(gone);
  },
  // Exit only once the last message has left, or the parent would never see it; at once when the parent has gone:
  // Deno never calls back a send the closed channel dropped, and an orphan waiting for it ran on for ever.
  exit: (code) => (parentGone ? process.exit(code) : void last.then(() => process.exit(code))),
});
