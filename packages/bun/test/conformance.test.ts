/** The conformance suite, run by `bun test` in both Bun contexts. */
import { describe, it } from 'bun:test';
import { runConformance } from '@mp/core/conformance';
import * as api from '../src/index.ts';

/** Suite tests Bun cannot pass as written, with the reason; each is listed in the README. */
const cannot: Record<string, string> = {};

/** `body` with the shared-memory fast path turned off (`MP_FAST_PATH=0`, read when a pool starts). */
function fastPathOff(body: () => Promise<void> | void): () => Promise<void> {
  return async () => {
    process.env.MP_FAST_PATH = '0';
    try {
      await body();
    } finally {
      delete process.env.MP_FAST_PATH;
    }
  };
}

// Threads twice: with the fast path (lanes in shared memory, core's internal/lane.ts) and without it, so both
// paths stay tested; child processes have no fast path.
for (const [context, fast] of [['thread', true], ['thread', false], ['process', true]] as const) {
  const run = (): void => runConformance({
    runtime: 'bun',
    context,
    api,
    features: { resourceLimits: false, transferMoves: context === 'thread', sharedMemory: context === 'thread' },
    describe,
    it: (name, body, timeout = 60_000) => {
      const reason = cannot[name];
      if (reason) it.skip(`${name} — skipped: ${reason}`, () => {});
      else it(name, fast ? body : fastPathOff(body), timeout);
    },
    skip: (name, reason) => it.skip(`${name} — skipped: ${reason}`, () => {}),
  });
  if (fast) run();
  else describe('fast path off', run);
}
