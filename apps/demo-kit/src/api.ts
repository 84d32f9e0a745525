/**
 * The seam between the kit and a demo app: the adapter's exports the sections
 * use (`MpApi`), the few facts about the runtime the kit cannot learn from mp
 * (`RuntimeFacts`), and what every section is handed (`Demo`). The sections
 * import only types from `@mp/core`: every mp value they use comes from the
 * adapter the app chose, so the kit never picks a runtime. (`tasks.js` runs
 * inside workers, where no app can hand it anything; it imports core itself.)
 */
import type { Barrier, Lock, Pool, PoolOptions, Process, ProcessOptions, Queue, TaskHandles, Value, tasks } from '@mp/core';

/**
 * The part of an adapter's exports the demo uses. `import * as mp from '@mp/node'`
 * (or `@mp/deno`, `@mp/bun`) satisfies it.
 */
export interface MpApi {
  Pool: new (options?: PoolOptions) => Pool;
  Process: new <A extends unknown[]>(options: ProcessOptions<A>) => Process<A>;
  cpuCount(): number;
  tasks: typeof tasks;
  Queue: typeof Queue;
  Lock: typeof Lock;
  Value: typeof Value;
  Barrier: typeof Barrier;
}

/** What the app knows about its runtime and the kit does not. */
export interface RuntimeFacts {
  /** The adapter's package, first in the banner: `'@mp/node'`. */
  adapter: string;
  /** The runtime's name, in the banner and in Q2's text: `'Node'`. */
  name: string;
  /** The runtime's version as the banner shows it: `process.version`, `Deno.version.deno`, `Bun.version`. */
  version: string;
  /** The worker contexts the adapter offers (its runtime's `contexts`): Q2, Q3 and Q6 use `'process'` where it exists. */
  contexts: readonly string[];
  /** Resident memory (RSS) of this OS process, in bytes: Q2 shares its growth out over the worker threads. */
  rss: () => number;
  /** Writes `text` without a newline, in order with `console.log`: progress bars grow on their line. */
  write: (text: string) => void;
  /** Sets the code the program exits with once it ends (the demo goes on after a failed section). */
  setExitCode: (code: number) => void;
  /** A remark printed after Q2's table, about what the measurement includes on this runtime. */
  q2Note?: string | undefined;
}

/** Handles to the functions of `tasks.js`, which workers import by reference. */
export type DemoTasks = TaskHandles<typeof import('./tasks.js')>;

/** What each section runs with. */
export interface Demo {
  readonly mp: MpApi;
  readonly runtime: RuntimeFacts;
  readonly t: DemoTasks;
}
