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
    '**Where the time goes** (measured apart on 2026-12-08: fresh processes, 21 each, interleaved, medians; not figures of this run): ' +
    '@mp/core\'s index was one 201 KB file, and V8 compiles every byte of a module it imports (about 30 µs per KB here). Its ' +
    'shared-state half (queues, pipes, locks, `Value`, `Manager`, shared memory and their serializer: 104 KB) is now a second file, ' +
    'loaded the first time one of them is used (`new Queue()` stays synchronous: packages/core/README.md, "What an import loads"); ' +
    'the index is 97 KB. `import(\'@mp/node\')` took 14.0 ms before and 11.2 ms with the classes moved; in a quieter period, 10.7 ' +
    'ms before and 8.2 ms with the classes and their serializer moved. What is left is Node\'s ESM start and two package lookups, ' +
    '`node:worker_threads` (about 1.5 ms: Node\'s streams), which the first `Pool` needs, and compiling the 97 KB index. A program ' +
    'that uses a queue or a lock pays for the second file there, once (QUEUE_COST).',
  describe: () => '`await import(...)` of the library (`node:worker_threads` for the raw baseline), timed in a fresh process that does nothing else.',
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ host, module }) {
    if (!module) throw new Error('this library names no module to import');
    if (!host.importTime) throw new Error(`the ${host.runtime} bench cannot time an import in a fresh process`);
    const ms = await host.importTime(module);
    return { value: ms, details: {} };
  },
};
