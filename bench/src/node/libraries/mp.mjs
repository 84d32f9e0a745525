/**
 * mp (`@mp/node`) under test: thread or process context, functions by
 * reference (`task(url, name)`, like the peers' worker files) or by value.
 */
// The runner points this at its snapshot of mp's build (../mp-snapshot.mjs); by hand it is the workspace package.
const { Pool, task, transfer } = await import(process.env.MP_BENCH_MP_NODE || '@mp/node');

const tasksUrl = new URL('../workers/tasks.mjs', import.meta.url);
const byRef = {
  inc: task(tasksUrl, 'inc'),
  fib: task(tasksUrl, 'fib'),
  byteLength: task(tasksUrl, 'byteLength'),
};
const byValue = {
  inc: (x) => x + 1,
  fib: function fib(n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  },
  byteLength: (buf) => buf.byteLength,
};

/** @returns {() => Promise<import('../../core/adapter.mjs').PoolAdapter>} */
export function mp({ context, value = false }) {
  const fns = value ? byValue : byRef;
  return async () => {
    const pool = new Pool({ processes: 2, context });
    return {
      inc: (x) => pool.apply(fns.inc, [x]),
      map: (items) => pool.map(fns.inc, items),
      fib: (n) => pool.apply(fns.fib, [n]),
      payload: (buf, move) => pool.apply(fns.byteLength, [move ? transfer(buf, [buf]) : buf]),
      close: () => pool.terminate(),
      copiesTransfers: context === 'process',
    };
  };
}
