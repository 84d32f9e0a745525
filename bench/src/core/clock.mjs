/**
 * Time, the runtime-agnostic way: `performance.now()` is a global in Node,
 * Deno, Bun and browsers, so the measuring core needs no runtime import.
 */

/** Milliseconds from an arbitrary origin, sub-millisecond resolution. */
export function now() {
  return performance.now();
}

/** Runs `fn` and returns how long it took in milliseconds, and its result. */
export async function timed(fn) {
  const start = now();
  const value = await fn();
  return { ms: now() - start, value };
}
