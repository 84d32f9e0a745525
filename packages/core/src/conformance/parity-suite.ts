/** Conformance for Python parity, round 2 (API.md section 5c): every suite of it, in the order they run. */
import type { Harness } from './harness.js';
import { parityManagerSuite } from './parity-manager-suite.js';
import { parityShmSuite } from './parity-shm-suite.js';
import { parityWaitSuite } from './parity-wait-suite.js';

export function paritySuite(h: Harness): void {
  parityManagerSuite(h);
  parityShmSuite(h);
  parityWaitSuite(h);
}
