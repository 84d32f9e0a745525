/**
 * The browser demo, served cross-origin isolated (the COOP/COEP headers) by
 * `vite` (dev), `vite preview` and so by the end-to-end test.
 */
import { relative } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/** The headers that make a page cross-origin isolated, so SharedArrayBuffer is there. */
export const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * `import url from './tasks.ts?task'`: the URL of a module that workers import
 * by reference (`tasks(url)`). In the build it is its own chunk that keeps its
 * exports (sharing chunks with the page); the dev server serves it as is.
 * Vite's own `new URL('./tasks.ts', import.meta.url)` would copy the file
 * untranspiled, and `?worker&url` drops its exports.
 */
function taskModules(): Plugin {
  let root = '';
  let serve = false;
  return {
    name: 'mp-task-modules',
    configResolved(config) {
      root = config.root;
      serve = config.command === 'serve';
    },
    load(id) {
      if (!id.endsWith('?task')) return null;
      const file = id.slice(0, -'?task'.length);
      if (serve) return `export default new URL(${JSON.stringify(`/${relative(root, file)}`)}, self.location.href).href;`;
      const ref = this.emitFile({ type: 'chunk', id: file, preserveSignature: 'strict' });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
  };
}

export default defineConfig({
  plugins: [taskModules()],
  server: { headers: isolation },
  preview: { headers: isolation },
  // Module workers with ES-module chunks: mp's worker entry imports the task module.
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
