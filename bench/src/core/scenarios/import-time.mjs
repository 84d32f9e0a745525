/**
 * (i) Import: how long `await import(<the library>)` takes in a fresh process — what a program pays before its
 * first line that uses the library. The cell starts that process itself (the cell's own process has already
 * loaded the library), so the figure holds nothing of the bench's.
 */
export default {
  id: 'import',
  letter: 'i',
  title: 'Import',
  unit: 'ms',
  better: 'lower',
  sizes: { full: {}, smoke: {} },
  // One import is a few milliseconds and varies by ±20 %: 21 fresh processes per library, interleaved.
  reps: { full: 21 },
  analysis:
    '**Where the time goes** (measured apart on 2026-12-06: interleaved fresh processes, 41 each, medians; not figures of this run): ' +
    'mp at 1807584 (before this work) 22.7 ms. Loading `node:worker_threads` and `node:os` on first use instead of at import took ' +
    'about 4.5 ms off the import, but only moved it: a program that starts a pool at once paid it in `new Pool()` (import + `new Pool()` ' +
    '33.4 ms before, 32.9 after; first result 137 against 138 ms), so it was taken back — the first `Pool` needs them. Lighter built files ' +
    '(comment-only lines emptied, plain ASCII: @mp/core\'s index 190 → 165 KB) and reading `import.meta` only when the first worker ' +
    'starts are kept. What is left is mostly compiling @mp/core\'s one-file index (V8: about 60 µs per KB in a fresh process here), ' +
    '`node:worker_threads` (about 4 ms: Node\'s streams, `perf_hooks`), and the first package lookup and Node\'s own ESM ' +
    'start cost about 4 ms, and V8 compiles the index at about 60 µs per KB in a fresh process here. An index with only what a first ' +
    '`Pool` needs (errors, `Pool`, `Process`, tasks: 66 KB) imports in 10.5 ms (Node 24: 8.7) in the same comparison; the shared-state ' +
    'classes (queues, locks, `Value`, `Manager`, shared memory and their serializer, about 100 KB) are the difference, and they cannot ' +
    'simply be loaded later while `new Queue()` stays synchronous in every runtime.',
  describe: () => '`await import(...)` of the library (`node:worker_threads` for the raw baseline), timed in a fresh process that does nothing else.',
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ host, module }) {
    if (!module) throw new Error('this library names no module to import');
    if (!host.importTime) throw new Error(`the ${host.runtime} bench cannot time an import in a fresh process`);
    const ms = await host.importTime(module);
    return { value: ms, details: {} };
  },
};
