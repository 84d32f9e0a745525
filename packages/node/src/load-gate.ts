/**
 * The load gate: a word in memory a thread worker shares with its parent, so the parent never ends
 * the worker while it is inside `require()` of an ES module.
 *
 * Node 20 aborts the whole program ("FATAL ERROR: v8::Module::IsGraphAsync must be used on an
 * instantiated module") when a worker thread is terminated while `require()` links a module
 * graph: `ModuleWrap::InstantiateSync` asks the half-linked module whether it is async. Ending it
 * while the graph evaluates is safe (measured: 0 of 74 moments), and `import()` is always safe.
 *
 * The worker enters the gate (OPEN → LOADING) before its one `require()` of a module and leaves it
 * CLOSED after, since it never loads another that way. The parent closes it (OPEN → CLOSED) before
 * it terminates the worker, or when the program exits; if a load is under way it waits for it, for
 * at most `GRACE_MS` (linking is done by then; a module body that runs longer is evaluating, where
 * ending is safe). A worker that finds the gate closed loads through `import()` instead.
 *
 * A thread started by another worker thread gets its gate closed from the start: when its parent
 * thread is itself ended, Node ends it too, without an 'exit' event where the gate could be closed.
 */

/** Index of the gate in the thread's shared Int32Array (the other cells: doorbell.ts). */
const GATE = 1;
const OPEN = 0;
const LOADING = 1;
const CLOSED = 2;

/** How long the parent waits for a load under way before it ends the worker anyway. */
const GRACE_MS = 2000;

/** Parent side, at start: this worker never loads through `require()`. */
export function closeGateForGood(cells: Int32Array): void {
  Atomics.store(cells, GATE, CLOSED);
}

/** Worker side: runs `load` inside the gate, or returns `undefined` if the parent has closed it. */
export function insideGate<T>(cells: Int32Array, load: () => T): T | undefined {
  if (Atomics.compareExchange(cells, GATE, OPEN, LOADING) !== OPEN) return undefined;
  try {
    return load();
  } finally {
    Atomics.store(cells, GATE, CLOSED);
    Atomics.notify(cells, GATE);
  }
}

/** Parent side: closes the gate unless a load is under way; true once it is closed. */
function tryClose(cells: Int32Array): boolean {
  return Atomics.compareExchange(cells, GATE, OPEN, CLOSED) !== LOADING;
}

/** Parent side: closes the gate, then calls `then` (at once, unless a load is under way). */
export function closeGate(cells: Int32Array, then: () => void): void {
  if (tryClose(cells)) return then();
  const until = Date.now() + GRACE_MS;
  const retry = (): void => {
    const left = until - Date.now();
    if (tryClose(cells) || left <= 0) return then();
    const waiting = Atomics.waitAsync(cells, GATE, LOADING, left);
    if (waiting.async) void waiting.value.then(retry);
    else retry();
  };
  retry();
}

/** Parent side, blocking (for the program's 'exit' event): closes every gate, waiting out loads under way. */
export function closeGatesNow(gates: Iterable<Int32Array>): void {
  const until = Date.now() + GRACE_MS;
  for (const cells of gates) {
    for (let left = GRACE_MS; !tryClose(cells) && left > 0; left = until - Date.now()) {
      Atomics.wait(cells, GATE, LOADING, left);
    }
  }
}
