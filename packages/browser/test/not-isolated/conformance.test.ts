/**
 * The conformance suite on a page WITHOUT cross-origin isolation (no SharedArrayBuffer), as the
 * README promises mp runs there: the shared-memory objects' tests are skipped by feature (they
 * cannot be made here; not-isolated.test.ts checks the error they throw), everything else runs.
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '@mp/core/conformance';
import * as api from '../../src/index.ts';

it('the page is not cross-origin isolated: no SharedArrayBuffer', () => {
  expect(globalThis.crossOriginIsolated).toBe(false);
  expect(typeof SharedArrayBuffer).toBe('undefined');
});

runConformance({
  runtime: 'browser (not isolated)',
  context: 'thread',
  api,
  features: {
    resourceLimits: false,
    transferMoves: true,
    sharedMemory: false,
    sharedArrayBuffer: false,
    builtinModules: false,
    exitCodes: false,
    mainThreadBlocks: false,
  },
  describe,
  it: (name, body, timeout) => it(name, body, timeout),
  skip: (name, reason) => it.skip(`${name} (${reason})`, () => {}),
});
