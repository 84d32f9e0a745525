/** The conformance suite, run by vitest in both Node contexts. */
import { describe, it } from 'vitest';
import { runConformance } from '@mp/core/conformance';
import * as api from '../src/index.ts';

for (const context of ['thread', 'process'] as const) {
  runConformance({
    runtime: 'node',
    context,
    api,
    features: { resourceLimits: true, transferMoves: context === 'thread', sharedMemory: context === 'thread' },
    describe,
    it: (name, body, timeout) => it(name, body, timeout),
    skip: (name, reason) => it.skip(`${name} — skipped: ${reason}`, () => {}),
  });
}
