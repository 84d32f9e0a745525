import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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


/**
 * dist/shared-state.js (src/shared-state.ts; internal/deferred.ts says why it is a file of its own) takes the
 * modules whose state or classes must exist once from the index's default export (entry.ts's `link`): the
 * errors a program catches, `Process`, the daemons a wait holds, the manager RPC registry and its waiters. Each
 * becomes a module of a few lines that re-exports the link's copy; the stateless helpers the two files share
 * (validation, the serializer, waits) are bundled into each. dist/index.browser.js takes the index and the
 * shared-state file as they are.
 */
const linked: Record<string, string> = {
  'src/errors.ts': 'errors',
  'src/process.ts': 'process',
  'src/internal/daemons.ts': 'daemons',
  'src/internal/rpc.ts': 'rpc',
  'src/internal/manager-waiters.ts': 'waiters',
};

/** The names a module exports (its `export function|const|let|class` declarations: the linked modules have no other kind). */
function exportedNames(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^export (?:async )?(?:function\*?|const|let|class) (\w+)/gm)].map((m) => m[1]!);
}

const linkToIndex: Plugin = {
  name: 'link-to-index',
  setup(build) {
    const root = resolve('.');
    build.onResolve({ filter: /^mp-link$/ }, () => ({ path: 'mp-link', namespace: 'mp-link-offer' }));
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      // The browser's index and the module that offers it the link take the other built files as they are.
      if (/[\\/]src[\\/](entry-browser|browser-link)\.ts$/.test(args.importer)) {
        const own = { './entry.js': './index.js', './browser-link.js': './browser-link.js', './shared-state.js': './shared-state.js' }[args.path];
        if (own !== undefined) return { path: own, external: true };
      }
      const file = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      const key = linked[file.slice(root.length + 1).replace(/\\/g, '/')];
      return key === undefined ? undefined : { path: file, namespace: 'mp-link', pluginData: key };
    });
    // The link the index offers while this file evaluates (internal/deferred.ts, offerLink).
    build.onLoad({ filter: /.*/, namespace: 'mp-link-offer' }, () => ({
      contents:
        "const offer = globalThis[Symbol.for('mp.core.link')];\n" +
        "if (offer === undefined) throw new Error(\"mp: dist/shared-state.js is loaded by @mp/core's index when first used, not imported itself\");\n" +
        'offer.taken = true;\nexport default offer.link;\n',
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'mp-link' }, (args) => {
      const key = args.pluginData as string;
      const names = exportedNames(args.path);
      return {
        contents: `import link from 'mp-link';\nconst m = link.${key};\nexport const ${names.map((n) => `${n} = m.${n}`).join(', ')};\n`,
        loader: 'js',
      };
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
    // The JS of the index is entry.ts (index.ts with the shared-state half deferred); its declarations are index.ts's.
    entry: { index: 'src/entry.ts' },
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
    entry: { 'shared-state': 'src/shared-state.ts', 'index.browser': 'src/entry-browser.ts', 'browser-link': 'src/browser-link.ts' },
    format: ['esm'],
    target: 'es2022',
    dts: false,
    esbuildPlugins: [linkToIndex],
    sourcemap: true,
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
