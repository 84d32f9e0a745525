/** Runs the conformance suite in both Node contexts against `api` (the `.ts` source, or the built package). */
import { describe, it } from 'vitest';
import { runConformance } from '@mp/core/conformance';
import type * as Api from '../src/index.ts';

export function runNodeConformance(api: typeof Api, runtime: string, contexts: readonly ('thread' | 'process')[] = ['thread', 'process']): void {
  for (const context of contexts) {
    runConformance({
      runtime,
      context,
      api,
      features: { resourceLimits: true, transferMoves: context === 'thread', sharedMemory: context === 'thread' },
      describe,
      it: (name, body, timeout) => it(name, body, timeout),
      skip: (name, reason) => it.skip(`${name} — skipped: ${reason}`, () => {}),
      // The built package runs the same model as the source: one program each proves it loads there.
      ...(runtime === 'node' ? {} : { modelRuns: 1 }),
    });
  }
}
