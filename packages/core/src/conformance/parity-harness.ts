/** The task handles of the round-2 parity suites (`parity-fixtures.ts`). */
import { tasks, type TaskHandles } from '../task.js';
import type * as ParityFixtures from './parity-fixtures.js';

/** The URL of the parity fixtures module, `.ts` when the suite runs from source. */
export const parityFixturesUrl = new URL(import.meta.url.endsWith('.ts') ? './parity-fixtures.ts' : './parity-fixtures.js', import.meta.url);

export const px: TaskHandles<typeof ParityFixtures> = tasks<typeof ParityFixtures>(parityFixturesUrl);
