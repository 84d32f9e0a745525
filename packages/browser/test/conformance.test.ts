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

runConformance({
  runtime: 'browser',
  context: 'thread',
  api,
  features: { resourceLimits: false, transferMoves: true, sharedMemory: true, builtinModules: false, exitCodes: false, mainThreadBlocks: false },
  describe,
  it: (name, body, timeout) => it(name, body, timeout),
  skip: (name, reason) => it.skip(`${name} — skipped: ${reason}`, () => {}),
});
