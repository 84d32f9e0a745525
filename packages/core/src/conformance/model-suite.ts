/**
 * Conformance: model-based tests. fast-check writes random programs over one
 * pool — map, starmap, imap, imapUnordered and apply over empty, single and
 * long inputs (arrays, generators, async generators; inputs that throw or
 * reject; endless inputs broken out of), with random chunk sizes, tasks that
 * return, throw, end their worker or outrun a timeout, aborts, close() and
 * terminate() at random moments — and a plain model (model.ts) says what each
 * call may give. Every call must settle within a bound, give what the model
 * allows, leave `stats()` adding up, and leave the pool usable (or refusing
 * work as closed).
 *
 * Seeded: `MP_FUZZ_SEED` (and `MP_FUZZ_PATH` to replay one shrunk case) and
 * `MP_FUZZ_RUNS` come from the environment where there is one; the defaults
 * keep a CI run short. `pnpm fuzz` runs many programs with fresh seeds.
 */
import fc from 'fast-check';
import type { Harness } from './harness.js';
import type { ModelItem } from './fixtures.js';
import { fx } from './harness.js';
import { PoolClosedError } from '../errors.js';
import { AssertionError, delay, settlesWithin } from './assert.js';
import { expectationFor, itemArb, runCall, type CallSpec, type Lifecycle, type Outcome, type Program } from './model.js';

/** Settings from the environment (Node, Bun, Deno; a page has none). */
export function fuzzSettings(defaultRuns: number): { seed: number; runs: number; path: string | undefined; shrink: boolean } {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: { env: { get(k: string): string | undefined } } };
  const get = (k: string): string | undefined => {
    try {
      return g.process?.env?.[k] ?? g.Deno?.env.get(k);
    } catch {
      return undefined;
    }
  };
  const seed = Number(get('MP_FUZZ_SEED') ?? 13);
  const runs = Number(get('MP_FUZZ_RUNS') ?? defaultRuns);
  return { seed, runs, path: get('MP_FUZZ_PATH') || undefined, shrink: get('MP_FUZZ_SHRINK') === '1' };
}

/** Every call must settle within this after the program's last step. */
const SETTLE_MS = 30_000;

function callArb(timeoutMs: number): fc.Arbitrary<CallSpec> {
  const method = fc.constantFrom('map', 'starmap', 'imap', 'imapUnordered', 'apply' as const);
  return fc
    .record({
      method,
      length: fc.oneof(
        { weight: 2, arbitrary: fc.constant(0) },
        { weight: 2, arbitrary: fc.constant(1) },
        { weight: 4, arbitrary: fc.integer({ min: 2, max: 24 }) },
        { weight: 1, arbitrary: fc.integer({ min: 500, max: 3000 }) },
      ),
      shape: fc.constantFrom('array', 'gen', 'agen' as const),
      chunksize: fc.option(fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 700 })), { nil: undefined }),
      specials: fc.array(fc.tuple(fc.nat(), itemArb), { maxLength: 3 }),
      inputFails: fc.option(fc.nat(), { nil: undefined }),
      timeout: fc.boolean(),
      abort: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 250 })), { nil: undefined }),
      endless: fc.boolean(),
      breakAfter: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
      gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
    })
    .map((r): CallSpec => {
      const items: ModelItem[] = Array.from({ length: r.length }, (_, i) => i);
      const timeout = r.timeout ? timeoutMs : undefined;
      for (const [at, item] of r.specials) {
        // A task that never ends is only sent with a timeout; slow ones not beside a timeout (a chunk would add them up).
        if (Array.isArray(item) && item[0] === 'hang' && timeout === undefined) continue;
        if (Array.isArray(item) && item[0] === 'slow' && timeout !== undefined) continue;
        items.splice(at % (items.length + 1), 0, item);
      }
      const apply = r.method === 'apply';
      const iter = r.method === 'imap' || r.method === 'imapUnordered';
      const endless = iter && r.endless && r.breakAfter !== undefined;
      const list = apply ? [items[0] ?? 0] : endless ? [] : items;
      const spec: CallSpec = {
        method: r.method,
        n: list.length,
        specials: list.flatMap((x, i) => (typeof x === 'number' ? [] : [[i, x] as [number, ModelItem]])),
        items: list,
        shape: apply ? 'array' : r.shape,
        endless,
        chunksize: apply ? undefined : r.chunksize,
        inputFailsAt: apply || endless || r.shape === 'array' || r.inputFails === undefined ? undefined : r.inputFails % (list.length + 1),
        timeout,
        abortAfter: r.abort,
        breakAfter: iter && (endless || (r.breakAfter !== undefined && list.every((x) => typeof x === 'number'))) ? r.breakAfter : undefined,
        gap: r.gap,
      };
      // Printed in a counterexample as `n` and `specials`, not as thousands of numbers.
      Object.defineProperty(spec, 'items', { enumerable: false });
      return spec;
    });
}

function programArb(timeoutMs: number): fc.Arbitrary<Program> {
  return fc
    .record({
      processes: fc.integer({ min: 1, max: 3 }),
      calls: fc.array(callArb(timeoutMs), { minLength: 1, maxLength: 6 }),
      lifecycle: fc.oneof(
        { weight: 3, arbitrary: fc.constant<Lifecycle>({ kind: 'none' }) },
        {
          weight: 1,
          arbitrary: fc.record({ kind: fc.constantFrom('close', 'terminate' as const), at: fc.nat(), wait: fc.integer({ min: 0, max: 60 }) }),
        },
      ),
    })
    .map((p): Program => {
      const exits = p.calls.flatMap((c) => c.items).filter((x) => Array.isArray(x) && (x[0] === 'exit' || x[0] === 'hang')).length;
      // Each exit or timeout costs a new worker: keep a program's share of them small.
      const calls = exits > 4 ? p.calls.slice(0, 1) : p.calls;
      const lifecycle: Lifecycle = p.lifecycle.kind === 'none' ? p.lifecycle : { ...p.lifecycle, at: p.lifecycle.at % (calls.length + 1) };
      return { processes: p.processes, calls, lifecycle };
    });
}

export function modelSuite(h: Harness): void {
  const { Pool } = h.api;
  const context = h.context;
  const exitCodes = h.features.exitCodes ?? true;
  // Time for a fresh worker (a child process is slower to start) to take its task, well inside the timeout.
  const timeoutMs = context === 'process' ? 3000 : 1500;
  const settings = fuzzSettings(h.modelRuns ?? (context === 'process' ? 3 : 4));

  async function runProgram(program: Program): Promise<void> {
    const pool = new Pool({ processes: program.processes, context });
    const outcomes: Promise<Outcome>[] = [];
    let state = 'running' as 'running' | 'closed' | 'terminated';
    let terminated: Promise<void> | undefined;
    const lifecycle = async (): Promise<void> => {
      const l = program.lifecycle;
      if (l.kind === 'none') return;
      await delay(l.wait);
      if (l.kind === 'close') {
        pool.close();
        state = 'closed';
      } else {
        state = 'terminated';
        terminated = pool.terminate();
      }
    };
    try {
      for (let i = 0; i <= program.calls.length; i++) {
        if (program.lifecycle.kind !== 'none' && program.lifecycle.at === i) await lifecycle();
        const spec = program.calls[i];
        if (!spec) break;
        if (spec.gap > 0) await delay(spec.gap);
        const before = state;
        const run = runCall(pool, spec, exitCodes);
        outcomes.push(run.then((o) => ({ ...o, stateBefore: before, stateAfter: state })));
      }
      const all = await settlesWithin(Promise.all(outcomes), SETTLE_MS, 'every call of the program');
      if (all.status === 'rejected') throw all.reason;
      const problems: string[] = [];
      all.value.forEach((o, i) => {
        const spec = program.calls[i]!;
        const problem = expectationFor(spec, o, exitCodes);
        if (problem) problems.push(`call ${i} (${spec.method}): ${problem}`);
      });
      if (problems.length > 0) throw new AssertionError(problems.join('\n'));
      if ((state as string) === 'terminated') {
        const t = await settlesWithin(terminated!, 15_000, 'terminate()');
        if (t.status === 'rejected') throw new AssertionError(`terminate() rejected: ${String(t.reason)}`);
        await refusesAsClosed(pool);
        return;
      }
      if ((state as string) === 'closed') {
        const j = await settlesWithin(pool.join(), SETTLE_MS, 'join() after close()');
        if (j.status === 'rejected') throw new AssertionError(`join() rejected: ${String(j.reason)}`);
        await refusesAsClosed(pool);
        return;
      }
      await statsAddUp(pool, program, all.value);
    } finally {
      await settlesWithin(pool.terminate(), 15_000, 'the final terminate()');
    }
  }

  async function refusesAsClosed(pool: InstanceType<typeof Pool>): Promise<void> {
    let result: PromiseSettledResult<unknown>;
    try {
      result = await settlesWithin(pool.map(fx.act, [1, 2]), 5_000, 'a map on a closed pool');
    } catch (error) {
      if (error instanceof AssertionError) throw error;
      throw new AssertionError(`pool.map() on a closed pool threw synchronously instead of rejecting: ${String(error)}`);
    }
    if (result.status !== 'rejected' || !PoolClosedError.isInstance(result.reason)) {
      throw new AssertionError(`a map on a closed pool should reject with PoolClosedError, got ${describe(result)}`);
    }
  }

  async function statsAddUp(pool: InstanceType<typeof Pool>, program: Program, outcomes: Outcome[]): Promise<void> {
    // Work a failed call had already handed out may still run: wait until the pool is idle.
    const until = Date.now() + SETTLE_MS;
    let s = pool.stats();
    while (s.busy > 0 || s.queued > 0 || s.workers !== program.processes) {
      if (Date.now() > until) throw new AssertionError(`the pool did not become idle: ${JSON.stringify(s)}`);
      await delay(20);
      s = pool.stats();
    }
    let resolvedItems = 0;
    let itemFailures = 0;
    let okPulled = 0;
    let badPulled = 0;
    for (const o of outcomes) {
      if (o.kind === 'resolved') resolvedItems += o.values.length;
      else if (o.kind === 'rejected' && o.byItem) itemFailures++;
      okPulled += o.okPulled;
      badPulled += o.badPulled;
    }
    if (s.completed < resolvedItems || s.completed > okPulled) {
      throw new AssertionError(`stats().completed is ${s.completed}; the calls resolved ${resolvedItems} items and sent at most ${okPulled} good ones`);
    }
    if (s.failed < itemFailures || s.failed > badPulled) {
      throw new AssertionError(`stats().failed is ${s.failed}; ${itemFailures} calls failed by a task and ${badPulled} failing tasks were sent`);
    }
    // Usable afterwards, and counted exactly.
    const r = await settlesWithin(Promise.resolve().then(() => pool.map(fx.act, [1, 2, 3], { chunksize: 1 })), 15_000, 'a map after the program');
    if (r.status !== 'fulfilled' || JSON.stringify(r.value) !== '[3,5,7]') throw new AssertionError(`the pool is not usable afterwards: ${describe(r)}`);
    const after = pool.stats();
    if (after.completed !== s.completed + 3 || after.failed !== s.failed) {
      throw new AssertionError(`a map of 3 items moved completed ${s.completed} → ${after.completed}, failed ${s.failed} → ${after.failed}`);
    }
  }

  h.describe('Pool, model-based', () => {
    const runs = settings.runs;
    h.it(
      `${runs} random programs give what the model says (seed ${settings.seed})`,
      async () => {
        await fc.assert(
          fc.asyncProperty(programArb(timeoutMs), async (program) => {
            await runProgram(program);
          }),
          {
            seed: settings.seed,
            numRuns: runs,
            ...(settings.path === undefined ? {} : { path: settings.path }),
            endOnFailure: !settings.shrink,
          },
        );
      },
      60_000 + runs * 30_000,
    );
  });
}

function describe(r: PromiseSettledResult<unknown>): string {
  if (r.status === 'fulfilled') return `fulfilled with ${JSON.stringify(r.value)}`;
  const e = r.reason as Error;
  return `rejected with ${e?.name}: ${e?.message}`;
}
