/** What an adapter hands the conformance suite: its API, its runtime's facts, and a minimal runner. */
import type { Pool, PoolOptions } from '../pool.js';
import type { Process, ProcessOptions } from '../process.js';
import type { ProcessInfo } from '../identity.js';
import type { ContextProvider } from '../runtime.js';
import type { TaskHandles } from '../task.js';
import { tasks } from '../task.js';
import type * as Fixtures from './fixtures.js';

/** The public API every adapter exports (the parts the suite drives). */
export interface AdapterApi {
  /** The adapter's `Pool`. */
  Pool: new (options?: PoolOptions) => Pool;
  /** The adapter's `Process`. */
  Process: new <A extends unknown[]>(options: ProcessOptions<A>) => Process<A>;
  /** The adapter's `cpuCount()`. */
  cpuCount(): number;
  /** The adapter's `currentProcess()`. */
  currentProcess(): ProcessInfo;
  /** The adapter's `parentProcess()`. */
  parentProcess(): ProcessInfo | null;
  /** The adapter's `activeChildren()`. */
  activeChildren(): Process[];
  /** The adapter's `isMainThread`. */
  isMainThread: boolean;
}

/** What a runtime can and cannot do; the suite skips (and says why) what it cannot. */
export interface Features {
  /** Heap limits per worker (`resourceLimits`) end a runaway allocation with a `WorkerExitError`. */
  resourceLimits: boolean;
  /** `transfer()` moves buffers (detaching the sender's), rather than copying them. */
  transferMoves: boolean;
  /**
   * Workers of this context share memory with the parent (SharedArrayBuffer).
   * @default true
   */
  sharedMemory?: boolean;
  /**
   * This page or program has SharedArrayBuffer, so Lock, Value, Queue, Pipe and the other
   * shared-memory objects can be made at all (a browser page without cross-origin isolation has
   * none: their tests are skipped, everything else runs).
   * @default true
   */
  sharedArrayBuffer?: boolean;
  /**
   * A function sent by value can `await import('node:…')` built-in modules (Node, Deno, Bun; not a browser).
   * @default true
   */
  builtinModules?: boolean;
  /**
   * A worker can end itself with an exit code (`process.exit(n)`, `Deno.exit(n)`); in a Web Worker,
   * `self.close()` has none and reports 0.
   * @default true
   */
  exitCodes?: boolean;
  /**
   * The thread running the suite may block (`…Sync` forms work there); a browser page's main thread may not.
   * @default true
   */
  mainThreadBlocks?: boolean;
  /**
   * Workers run on other machines (a cluster): what was handed out before a map's first error came back may be
   * more than on one machine, since a round trip there takes as long as several tasks.
   * @default false
   */
  remoteWorkers?: boolean;
}

/** What an adapter's test file passes to `runConformance`: its runtime, context, API, features and test runner. */
export interface Harness {
  /** e.g. `'node'`. */
  runtime: string;
  /** The context under test, passed to every Pool and Process: a context's name, or a context object (a cluster). */
  context: string | ContextProvider;
  /** The adapter's exports. */
  api: AdapterApi;
  /** What the runtime and context can do. */
  features: Features;
  /** The test runner's `describe`. */
  describe(name: string, body: () => void): void;
  /** The test runner's `it`/`test`, with a timeout in ms. */
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
  /** Registers a test the runtime cannot run, with the reason. */
  skip(name: string, reason: string): void;
  /**
   * How many random programs the model-based tests run (`MP_FUZZ_RUNS` overrides it).
   * @default 4 in a thread context, 3 in a process context
   */
  modelRuns?: number;
  /**
   * For a context that cannot offer everything (a cluster: no shared memory, no initializer): the suites to run,
   * by name (`SuiteName`).
   * @default every suite
   */
  suites?: readonly SuiteName[];
  /** Tests this context cannot pass, by their exact name, with the reason; each is registered through `skip`. */
  exclude?: Readonly<Record<string, string>>;
}

/** The parts of the conformance suite, by name, for `Harness.suites`. */
export type SuiteName =
  | 'process' | 'pool' | 'fault' | 'input' | 'sync' | 'manager' | 'queue' | 'settle' | 'model' | 'regression' | 'wire' | 'parity';

/** The URL of the fixtures module, `.ts` when the suite runs from source. */
export const fixturesUrl = new URL(import.meta.url.endsWith('.ts') ? './fixtures.ts' : './fixtures.js', import.meta.url);

export const fx: TaskHandles<typeof Fixtures> = tasks<typeof Fixtures>(fixturesUrl);
