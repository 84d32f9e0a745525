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

const shared = {
  platform: 'node',
  target: 'es2022',
  sourcemap: true,
  noExternal: [/^@mp\/core(\/|$)/, 'comlink'],
  esbuildPlugins: [coreOutsideWorker],
  esbuildOptions(options) {
    // core's split chunks import each other bare for ordering only; dropping those imports is right here.
    options.logOverride = { ...options.logOverride, 'ignored-bare-import': 'silent' };
  },
} satisfies Options;

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, format: ['esm'], dts: true, clean: true },
  // The worker entry is CommonJS, one file: Node loads it with the CommonJS loader, without starting the ESM
  // loader (and the fs/promises it loads) for a function sent by value; a by-reference task module still
  // loads through import(). Measured: a pool's first result about 4 ms sooner than from an ESM entry
  // (about 25 ms against 30; see BENCHMARKS.md (f)). The lazily loaded parts (the shared-object classes,
  // comlink) are inlined: parsing them costs less than a second file would.
  { ...shared, entry: { worker: 'src/worker.ts' }, format: ['cjs'], splitting: false, dts: false },
]);
