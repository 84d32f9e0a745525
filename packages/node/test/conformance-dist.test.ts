/**
 * The conformance suite again, against the built package: the worker that ships (dist/worker.cjs and
 * the chunks it requires when a task needs them) rather than the `.ts` source the other run starts.
 */
import { describe, it } from 'vitest';
import { runConformance } from '@mp/core/conformance';

type Api = typeof import('../src/index.ts');
const api = (await import(new URL('../dist/index.js', import.meta.url).href)) as Api;

for (const context of ['thread', 'process'] as const) {
  runConformance({
    runtime: 'node (built)',
    context,
    api,
    features: { resourceLimits: true, transferMoves: context === 'thread', sharedMemory: context === 'thread' },
    describe,
    it: (name, body, timeout) => it(name, body, timeout),
    skip: (name, reason) => it.skip(`${name} — skipped: ${reason}`, () => {}),
  });
}
