/**
 * The cells a thread and its parent share (one Int32Array, made in thread-worker.ts), and the wait on a
 * doorbell both sides use: [TO_WORKER] rung by the parent after each message it posts (the worker's
 * `receiveSync`), [GATE] the load gate (load-gate.ts), [TO_PARENT] rung by the worker after each message it posts
 * (the parent's `pollSync`), [PRINTED] set by the worker when the batch it runs writes to stdout or stderr.
 */
export const TO_WORKER = 0;
export const TO_PARENT = 2;
export const PRINTED = 3;
export const CELLS = 4;

/** How long a wait spins before it sleeps on the doorbell for the rest. */
const SPIN_ALONE_MS = 0.03;

/**
 * Whether doorbell `at` moves from `rung` within `timeoutMs`: a spin for 30 µs (waking a sleeping thread costs
 * about as much as the other side takes to answer), then asleep for the rest (a spinning thread on a full
 * machine holds up the threads that would answer, V8's compiler threads among them early in a program).
 * `now` is the caller's millisecond clock.
 */
export function waitForRing(bell: Int32Array, at: number, rung: number, timeoutMs: number, now: () => number): boolean {
  const start = now();
  if (spin(bell, at, rung, start + Math.min(timeoutMs, SPIN_ALONE_MS), now)) return true;
  const left = timeoutMs - (now() - start);
  return left > 0 && Atomics.wait(bell, at, rung, left) !== 'timed-out';
}

/**
 * The spin, a function of its own: V8 compiles a long-running loop on the stack (OSR), and code after the
 * loop in the same function, never run before, sent it back to the interpreter each time (measured: 300
 * deoptimizations in a pool's first 2,000 tasks, which ran at 100 µs each instead of 15).
 */
function spin(bell: Int32Array, at: number, rung: number, until: number, now: () => number): boolean {
  for (let i = 1; Atomics.load(bell, at) === rung; i++) {
    if ((i & 63) === 0 && now() > until) return false;
  }
  return true;
}
