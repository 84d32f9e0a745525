/**
 * `@mp/core/conformance`: one behavioural suite, written once, that every
 * adapter runs in its own runtime and test runner. The adapter passes its API,
 * what its runtime can do, and `describe`/`it`/`skip`; the suite brings its own
 * assertions.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { runConformance } from '@mp/core/conformance';
 * import * as api from '../src/index.ts';
 * runConformance({ runtime: 'node', context: 'thread', api, features, describe, it, skip: (n, why) => it.skip(`${n} (${why})`, () => {}) });
 */
import type { Harness } from './harness.js';
import { processSuite } from './process-suite.js';
import { poolSuite } from './pool-suite.js';
import { faultSuite } from './fault-suite.js';
import { inputSuite } from './input-suite.js';
import { syncSuite } from './sync-suite.js';
import { managerSuite } from './manager-suite.js';
import { queueSuite } from './queue-suite.js';
import { settleSuite } from './settle-suite.js';
import { modelSuite } from './model-suite.js';
import { regressionSuite } from './regression-suite.js';
import { wireSuite } from './wire-suite.js';
import { paritySuite } from './parity-suite.js';

export type { Harness, AdapterApi, Features, SuiteName } from './harness.js';
import type { SuiteName } from './harness.js';
export { fixturesUrl } from './harness.js';
export { orphansLeft, type Orphans } from './orphans.js';
export { daemonJoinLines, daemonJoinProgram, orphansProgram, outputLines, outputProgram, type ProgramOptions } from './programs.js';

const SUITES: Record<SuiteName, (h: Harness) => void> = {
  process: processSuite,
  pool: poolSuite,
  fault: faultSuite,
  input: inputSuite,
  sync: syncSuite,
  manager: managerSuite,
  queue: queueSuite,
  settle: settleSuite,
  model: modelSuite,
  regression: regressionSuite,
  wire: wireSuite,
  parity: paritySuite,
};

/**
 * Registers the whole conformance suite with the adapter's test runner: every behaviour of API.md, the same in
 * every runtime. Tests a runtime cannot run are registered as skipped, with the reason.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { runConformance } from '@mp/core/conformance';
 * import * as api from '@mp/node';
 * runConformance({
 *   runtime: 'node', context: 'thread', api, describe, it,
 *   skip: (name, why) => it.skip(`${name} (${why})`, () => {}),
 *   features: { resourceLimits: true, transferMoves: true },
 * });
 */
export function runConformance(h: Harness): void {
  const exclude = h.exclude ?? {};
  const harness: Harness = Object.keys(exclude).length === 0 ? h : {
    ...h,
    it: (name, body, timeoutMs) => {
      const reason = Object.prototype.hasOwnProperty.call(exclude, name) ? exclude[name] : undefined;
      if (reason !== undefined) h.skip(name, reason);
      else h.it(name, body, timeoutMs);
    },
  };
  const names = h.suites ?? (Object.keys(SUITES) as SuiteName[]);
  const named = (h.context as { name?: unknown }).name;
  const label = typeof h.context === 'string' ? h.context : typeof named === 'string' ? named : 'a context object';
  h.describe(`mp conformance: ${h.runtime} / ${label}`, () => {
    for (const name of names) SUITES[name](harness);
  });
}
