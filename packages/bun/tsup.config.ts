import { defineConfig } from 'tsup';
import { leanChunks } from '../../tools/lean-dist.mjs';

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
  plugins: [leanChunks()],
  clean: true,
  splitting: true,
  // Never bundle core: the worker and the parent must share core's single module instance.
  external: ['@mp/core', /^@mp\/core\//],
});
