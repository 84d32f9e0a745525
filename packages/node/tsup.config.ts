import { readdir, readFile, writeFile } from 'node:fs/promises';
import { defineConfig, type Options } from 'tsup';
import { leanChunks } from '../../tools/lean-dist.mjs';

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
  plugins: [leanChunks()],
  esbuildOptions(options) {
    // core's split chunks import each other bare for ordering only; dropping those imports is right here.
    options.logOverride = { ...options.logOverride, 'ignored-bare-import': 'silent' };
  },
} satisfies Options;

/** `import('./chunk.cjs')` of the worker's own chunks, as rollup leaves them, becomes a require(). */
async function requireOwnChunks(): Promise<void> {
  const dist = new URL('./dist/', import.meta.url);
  for (const name of await readdir(dist)) {
    if (!name.endsWith('.cjs')) continue;
    const file = new URL(name, dist);
    const code = await readFile(file, 'utf8');
    const changed = code.replace(/\bimport\('(\.\/[\w.-]+\.cjs)'\)/g, "Promise.resolve().then(() => require('$1'))");
    if (changed !== code) await writeFile(file, changed);
  }
}

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, format: ['esm'], dts: true, clean: true },
  // The worker entry is CommonJS: Node loads it with the CommonJS loader, without starting the ESM loader
  // (and the fs/promises it loads) for a function sent by value; the first task module sent by reference loads
  // through require() where Node can (see src/worker.ts and the README), later ones through import(). Measured: a pool's first result about 4 ms sooner
  // than from an ESM entry (about 25 ms against 30; see BENCHMARKS.md (f)). Split: the parts core loads
  // lazily (the shared-object classes, comlink: 80 of 111 KB) are files of their own, required only when a
  // task uses them; a worker then parses 28 KB at start, and its first result comes 0.6–0.9 ms sooner.
  // (tsup splits CommonJS through rollup, which keeps every import() as it is: right for the import of a task
  // module, which must stay an import(); mp's own chunks are then made require()s, so loading one does not
  // start the ESM loader either.)
  {
    ...shared,
    entry: { worker: 'src/worker.ts' },
    format: ['cjs'],
    splitting: true,
    treeshake: true,
    dts: false,
    onSuccess: requireOwnChunks,
  },
]);
