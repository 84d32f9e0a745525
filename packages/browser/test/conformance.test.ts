/**
 * The conformance suite, run by vitest in headless Chromium, on a cross-origin
 * isolated page. A worker ends itself with `self.close()` (no exit code) and
 * the page's main thread may not block: the suite expects exactly that here.
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '@mp/core/conformance';
import * as api from '../src/index.ts';

it('the page is cross-origin isolated: SharedArrayBuffer is there', () => {
  expect(globalThis.crossOriginIsolated).toBe(true);
  expect(typeof SharedArrayBuffer).toBe('function');
});

/** `body` with the shared-memory fast path turned off (`globalThis.MP_FAST_PATH = '0'`, read when a pool starts). */
function fastPathOff(body: () => Promise<void> | void): () => Promise<void> {
  return async () => {
    const g = globalThis as { MP_FAST_PATH?: string };
    g.MP_FAST_PATH = '0';
    try {
      await body();
    } finally {
      delete g.MP_FAST_PATH;
    }
  };
}

// Twice: with the fast path (lanes in shared memory, core's internal/lane.ts) and without it, so both paths stay tested.
for (const fast of [true, false]) {
  const run = (): void =>
    runConformance({
      runtime: 'browser',
      context: 'thread',
      api,
      features: { resourceLimits: false, transferMoves: true, sharedMemory: true, builtinModules: false, exitCodes: false, mainThreadBlocks: false },
      describe,
      it: (name, body, timeout) => it(name, fast ? body : fastPathOff(body), timeout),
      skip: (name, reason) => it.skip(`${name} — skipped: ${reason}`, () => {}),
    });
  if (fast) run();
  else describe('fast path off', run);
}
