/** What an adapter hands the conformance suite: its API, its runtime's facts, and a minimal runner. */
import type { Pool, PoolOptions } from '../pool.js';
import type { Process, ProcessOptions } from '../process.js';
import type { ProcessInfo } from '../identity.js';
import type { TaskHandles } from '../task.js';
import { tasks } from '../task.js';
import type * as Fixtures from './fixtures.js';

/** The public API every adapter exports (the parts the suite drives). */
export interface AdapterApi {
  Pool: new (options?: PoolOptions) => Pool;
  Process: new <A extends unknown[]>(options: ProcessOptions<A>) => Process<A>;
  cpuCount(): number;
  currentProcess(): ProcessInfo;
  parentProcess(): ProcessInfo | null;
  activeChildren(): Process[];
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
}

export interface Harness {
  /** e.g. `'node'`. */
  runtime: string;
  /** The context under test, passed to every Pool and Process. */
  context: string;
  api: AdapterApi;
  features: Features;
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
  /** Registers a test the runtime cannot run, with the reason. */
  skip(name: string, reason: string): void;
  /**
   * How many random programs the model-based tests run (`MP_FUZZ_RUNS` overrides it).
   * @default 4 in a thread context, 3 in a process context
   */
  modelRuns?: number;
}

/** The URL of the fixtures module, `.ts` when the suite runs from source. */
export const fixturesUrl = new URL(import.meta.url.endsWith('.ts') ? './fixtures.ts' : './fixtures.js', import.meta.url);

export const fx: TaskHandles<typeof Fixtures> = tasks<typeof Fixtures>(fixturesUrl);
