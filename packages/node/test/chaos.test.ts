/**
 * A short chaos run in CI (the long one is `pnpm chaos`, tools/chaos.mjs): worker processes
 * SIGKILLed at random under a process pool, and a thread pool whose tasks exit, run out of memory
 * and throw at known positions. Linux only (it finds worker processes in /proc).
 */
import { describe, expect, it } from 'vitest';
import { built as api } from './built.ts';

const root = new URL('../../../', import.meta.url);
const seed = Number(process.env.MP_FUZZ_SEED ?? 13);

interface KillReport { tasks: number; results: number; wrong: number; workerExitErrors: number; otherErrors: string[]; kills: number; hangs: number; usableAfter: boolean }
interface FaultReport { expected: Record<string, number>; got: { ok: number; exit: number; oom: number; throw: number; wrongValue: number; misattributed: string[]; hangs: number }; usableAfter: boolean }

/** A plain .mjs shared with `pnpm chaos` (tools/chaos.mjs); its path in a variable, as it has no types. */
const libPath = new URL('../../../tools/chaos-lib.mjs', import.meta.url).href;
const { killProcesses, threadFaults } = (await import(libPath)) as {
  killProcesses: (a: typeof api, o: Record<string, unknown>) => Promise<KillReport>;
  threadFaults: (a: typeof api, o: Record<string, unknown>) => Promise<FaultReport>;
};

describe.runIf(process.platform === 'linux')('chaos (short run)', () => {
  it('worker processes SIGKILLed at random: every call settles, every result is right, each failure is a WorkerExitError, the pool goes on', async () => {
    const r = await killProcesses(api, { root, tasks: 400, processes: 2, killEveryMs: [40, 120], seed });
    expect(r.hangs).toBe(0);
    expect(r.wrong).toBe(0);
    expect(r.otherErrors).toEqual([]);
    expect(r.kills).toBeGreaterThan(0);
    expect(r.results).toBeGreaterThan(0);
    expect(r.usableAfter).toBe(true);
  }, 240_000);

  it('thread tasks that exit, run out of memory and throw at known positions: exact counts of results and of each error', async () => {
    const r = await threadFaults(api, { root, tasks: 300, exits: 4, ooms: 1, throws: 12, seed: seed + 1 });
    expect(r.got.misattributed).toEqual([]);
    expect({ ok: r.got.ok, exit: r.got.exit, oom: r.got.oom, throw: r.got.throw }).toEqual(r.expected);
    expect(r.got.wrongValue).toBe(0);
    expect(r.usableAfter).toBe(true);
  }, 240_000);
});
