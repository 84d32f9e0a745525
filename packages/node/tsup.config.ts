import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * `@mp/core` stays an import in the adapter's index (the app's own core, one copy) but is bundled into the
 * worker entry, with comlink: a worker then starts by loading one file instead of resolving a package graph.
 * State shared between that copy and a task module's copy of core lives on `globalThis` (identity, rpc),
 * and errors cross by name, so two copies in a worker agree.
 */
const coreOutsideWorker: Plugin = {
  name: 'core-outside-worker',
  setup(build) {
    build.onResolve({ filter: /^@mp\/core(\/|$)/ }, (args) =>
      /[\\/]src[\\/]worker\.ts$/.test(args.importer) ? undefined : { path: args.path, external: true },
    );
  },
};

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    worker: 'src/worker.ts',
  },
  format: ['esm'],
  platform: 'node',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  noExternal: [/^@mp\/core(\/|$)/, 'comlink'],
  esbuildPlugins: [coreOutsideWorker],
});
