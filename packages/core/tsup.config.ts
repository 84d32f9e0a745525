import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    worker: 'src/worker.ts',
    wire: 'src/wire.ts',
    'conformance/index': 'src/conformance/index.ts',
    'conformance/fixtures': 'src/conformance/fixtures.ts',
    'conformance/parity-fixtures': 'src/conformance/parity-fixtures.ts',
  },
  format: ['esm'],
  target: 'es2022',
  dts: true,
  sourcemap: true,
  clean: true,
  // Shared module state (registries, ids) must live in exactly one chunk.
  splitting: true,
});
