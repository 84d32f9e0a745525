/**
 * The work every benchmark cell runs, as plain functions with no imports, so
 * the same code runs in any runtime's workers and serially on the main thread.
 * Workers of every library load these through their own worker file.
 */

/** The per-task function of the throughput, latency and memory scenarios. */
export function inc(x) {
  return x + 1;
}

/** `inc` over a chunk: what peers without a `map` run per chunk, and raw batches run per message. */
export function incAll(xs) {
  const out = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i] + 1;
  return out;
}

/** The CPU-bound task: naive recursive Fibonacci (fib(30) is about 1.3 million calls). */
export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** The payload task: touches the buffer's length only, so the cost measured is moving it. */
export function byteLength(buf) {
  return buf.byteLength;
}
