/**
 * The seam between the measuring core and a library under test. A runtime
 * layer (Node today; Deno, Bun and the browser later) implements one adapter
 * per library; the scenarios only ever talk to this shape.
 *
 * @typedef {object} PoolAdapter
 * @property {(x: number) => Promise<number>} inc  one task of `inc`, its own promise
 * @property {((xs: number[]) => Promise<number[]>) | undefined} [submitAll]
 *   many `inc` tasks submitted at once; only for baselines that cannot give each
 *   task its own promise (raw batched). Everyone else goes through `inc`.
 * @property {(items: number[]) => Promise<number[]>} map  `inc` over every item, in order
 * @property {(n: number) => Promise<number>} fib  one CPU-bound task
 * @property {(buf: ArrayBuffer, move: boolean) => Promise<number>} payload  one task carrying `buf`, cloned or moved
 * @property {() => Promise<void>} close  ends the workers
 * @property {boolean | undefined} [copiesTransfers]  true where a transfer list cannot move memory (separate processes)
 *
 * @typedef {object} Host  what a runtime layer provides besides the adapter
 * @property {string} runtime  e.g. 'node'
 * @property {() => number} rss  resident memory of this process, bytes
 * @property {() => void} gc  a full collection if the runtime allows one, else nothing
 * @property {((module: { specifier: string, from?: string }) => Promise<number>) | undefined} [importTime]  ms that
 *   `await import(specifier)` takes in a fresh process of this runtime, resolved from the folder `from` when given
 *
 * @typedef {object} MeasureContext
 * @property {() => Promise<PoolAdapter>} open  constructs the library's pool (2 workers)
 * @property {Host} host
 * @property {Record<string, number>} size  the scenario's sizes for this run (full or smoke)
 * @property {{ specifier: string, from?: string } | undefined} [module]  how a program imports the library (the import scenario)
 */

/** Submits `inc` for every x at once and waits for all the results. */
export function submitAll(adapter, xs) {
  if (adapter.submitAll) return adapter.submitAll(xs);
  const promises = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) promises[i] = adapter.inc(xs[i]);
  return Promise.all(promises);
}

/** `[0, 1, …, n-1]`, the inputs of the throughput scenarios. */
export function range(n) {
  const xs = new Array(n);
  for (let i = 0; i < n; i++) xs[i] = i;
  return xs;
}

/** Throws unless every result is its input plus one: a fast wrong answer is not a result. */
export function checkIncremented(xs, results) {
  if (!Array.isArray(results) || results.length !== xs.length) {
    throw new Error(`expected ${xs.length} results, got ${Array.isArray(results) ? results.length : typeof results}`);
  }
  for (let i = 0; i < xs.length; i++) {
    if (results[i] !== xs[i] + 1) throw new Error(`result ${i} is ${String(results[i])}, expected ${xs[i] + 1}`);
  }
}

/** How long closing a pool may take; closing is never measured, and a hang there must not stall a cell. */
const CLOSE_MS = 3_000;

/** Closes `pool`, giving up (with a warning) after a few seconds; the cell's process ends anyway. */
export async function closeWithin(pool, ms = CLOSE_MS) {
  let timer;
  const gaveUp = new Promise((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    const closed = await Promise.race([pool.close().then(() => true), gaveUp]);
    if (!closed) console.error(`warning: the pool did not finish closing within ${ms} ms; moving on`);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens a pool, runs `body` with it, and always closes it (see `closeWithin`). */
export async function usePool(open, body) {
  const pool = await open();
  try {
    return await body(pool);
  } finally {
    await closeWithin(pool);
  }
}
