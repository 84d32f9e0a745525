import { defineConfig, type Options } from 'tsup';
import { leanChunks } from '../../tools/lean-dist.mjs';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Two builds. The main entry is one file: a program's `import '@mp/core'` (and through it each adapter's) then
 * reads one module instead of a dozen chunks — Node's ESM loader costs about 0.9 ms a file here, so the split
 * index took 22 ms to import against 12 ms whole. The other entries share chunks among themselves. Code
 * common to both exists twice in dist/, and a program that loads both (a worker: `@mp/core/worker`, and a task
 * module's `@mp/core`) has two copies of it: the state they must agree on lives on `globalThis` (the worker's
 * identity, manager connections), and classes and errors are recognized by brand and name, not by identity —
 * as between a Node worker's bundled copy and the app's.
 */
/**
 * The conformance suites compare what the adapter's classes give (its `@mp/core`: dist/index.js) with mp's
 * classes (`instanceof RemoteError`, `new Queue()` passed to a pool): they must be the index's, not a second
 * copy. Their imports of the public modules become imports of the index (the suites end up in
 * dist/conformance/index.js, so `../index.js`). The fixtures stay as they are: they are task modules, run in
 * workers beside the worker entry, whose chunks they share.
 */
const suitesUseIndex: Plugin = {
  name: 'suites-use-index',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/(errors|task|sync\/[\w-]+)\.js$/ }, (args) => {
      const suite = /[\\/]src[\\/]conformance[\\/](?!fixtures\.ts$|parity-fixtures\.ts$)[\w-]+\.ts$/.test(args.importer);
      return suite ? { path: '../index.js', external: true } : undefined;
    });
  },
};

const others = {
  worker: 'src/worker.ts',
  wire: 'src/wire.ts',
  'conformance/index': 'src/conformance/index.ts',
  'conformance/fixtures': 'src/conformance/fixtures.ts',
  'conformance/parity-fixtures': 'src/conformance/parity-fixtures.ts',
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    target: 'es2022',
    // The declarations of every entry in one program, so the types they share (a unique symbol of
    // TaskHandle's, say) are one declaration, not one per entry.
    dts: { entry: { index: 'src/index.ts', ...others } },
    sourcemap: true,
    clean: true,
    splitting: false,
    plugins: [leanChunks()],
  },
  {
    entry: others,
    format: ['esm'],
    target: 'es2022',
    dts: false,
    esbuildPlugins: [suitesUseIndex],
    sourcemap: true,
    // Shared module state among these entries (registries, ids) lives in exactly one chunk.
    splitting: true,
    plugins: [leanChunks()],
  },
]);
