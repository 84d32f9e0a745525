/** The Node host the measuring core asks for memory figures. `gc` needs `--expose-gc` (the runner passes it to scenarios marked `gc`). */

/** @type {import('../core/adapter.mjs').Host} */
export const host = {
  runtime: 'node',
  rss: () => process.memoryUsage.rss(),
  gc: () => {
    const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
    if (gc) {
      gc();
      gc();
    }
  },
};
