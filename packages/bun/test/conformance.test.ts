/** The conformance suite, run by `bun test` in both Bun contexts. */
import { describe, it } from 'bun:test';
import { runConformance } from '@mp/core/conformance';
import * as api from '../src/index.ts';

/** Suite tests Bun cannot pass as written, with the reason; each is listed in the README. */
const cannot: Record<string, string> = {};

for (const context of ['thread', 'process'] as const) {
  runConformance({
    runtime: 'bun',
    context,
    api,
    features: { resourceLimits: false, transferMoves: context === 'thread', sharedMemory: context === 'thread' },
    describe,
    it: (name, body, timeout = 60_000) => {
      const reason = cannot[name];
      if (reason) it.skip(`${name} — skipped: ${reason}`, () => {});
      else it(name, body, timeout);
    },
    skip: (name, reason) => it.skip(`${name} — skipped: ${reason}`, () => {}),
  });
}
