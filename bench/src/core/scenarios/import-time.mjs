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
  describe: () => '`await import(...)` of the library (`node:worker_threads` for the raw baseline), timed in a fresh process that does nothing else.',
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ host, module }) {
    if (!module) throw new Error('this library names no module to import');
    if (!host.importTime) throw new Error(`the ${host.runtime} bench cannot time an import in a fresh process`);
    const ms = await host.importTime(module);
    return { value: ms, details: {} };
  },
};
