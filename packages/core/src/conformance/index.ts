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

export type { Harness, AdapterApi, Features } from './harness.js';
export { fixturesUrl } from './harness.js';

export function runConformance(h: Harness): void {
  h.describe(`mp conformance: ${h.runtime} / ${h.context}`, () => {
    processSuite(h);
    poolSuite(h);
    faultSuite(h);
    inputSuite(h);
    syncSuite(h);
    managerSuite(h);
    queueSuite(h);
    settleSuite(h);
    modelSuite(h);
    regressionSuite(h);
    wireSuite(h);
    paritySuite(h);
  });
}
