import { defineConfig, type Options } from 'tsup';
import { leanChunks } from '../../tools/lean-dist.mjs';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * `@mp/core` stays an import on the page's side (the adapter re-exports the app's own core, one copy) but is
 * bundled into the worker entry: a module worker does not see the page's import map, so served unbundled
 * it could not resolve `@mp/core/worker`. Its copy of core must be the page's version (one release group).
 */
const coreOutsideWorker: Plugin = {
  name: 'core-outside-worker',
  setup(build) {
    build.onResolve({ filter: /^@mp\/core(\/|$)/ }, (args) => (/[\\/]src[\\/]worker\.ts$/.test(args.importer) ? undefined : { path: args.path, external: true }));
  },
};

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    worker: 'src/worker.ts',
  },
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  plugins: [leanChunks()],
  clean: true,
  splitting: true,
  noExternal: [/^@mp\/core(\/|$)/, 'comlink'],
  esbuildPlugins: [coreOutsideWorker],
});
