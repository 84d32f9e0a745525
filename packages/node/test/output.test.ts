/**
 * Node-specific behaviour seen from outside the program: what children print
 * reaches stdout before join() resolves (threads' output too, though they start
 * before the program's stdout exists), and daemons and idle pools do not keep
 * the program alive while a non-daemon child does.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daemonJoinLines, orphansLeft, outputLines } from '@mp/core/conformance';
import { built, dist } from './built.ts';

function run(script: string, arg: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url)), arg],
      { timeout: 110_000 },
      (error, stdout, stderr) => {
        if (error?.killed) reject(new Error('the program did not end in time', { cause: error }));
        else resolve({ stdout, stderr, code: error ? (error.code as number) : 0 });
      },
    );
  });
}

it('a timed wait is all a program does: it settles after its timeout and the program runs to its end', async () => {
  const { stdout, code } = await run('timed-waits.ts', '');
  expect(code).toBe(0);
  expect(stdout.trim().split('\n')).toEqual(['lock false', 'semaphore false', 'event false', 'queue Empty', 'barrier BrokenBarrierError']);
});

for (const context of ['thread', 'process']) {
  describe(`node ${context}`, () => {
    it("prints the child's output before join() resolves (seed Q3)", async () => {
      const { stdout, code } = await run('print-order.ts', context);
      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toEqual([0, 1, 2].flatMap((r) => [`Hello from a child process ${r}`, `Child process has terminated ${r}`]));
    });

    it("prints all of a child's output, more than a pipe holds, before join() resolves, and a pool task's before its result", async () => {
      const { stdout, code } = await run('output.ts', context);
      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toEqual(outputLines());
    });

    it("a Process target's own non-daemon child runs to its end before the target's end is reported, and its daemon child is ended (Python's exit)", async () => {
      const dir = await mkdtemp(join(tmpdir(), 'mp-children-'));
      try {
        const mark = join(dir, 'mark');
        const target = built.task<(dist: string, mark: string) => Promise<void>>(new URL('./fixtures/children.mjs', import.meta.url), 'startChildren');
        const p = new built.Process({ target, args: [dist, mark], context }).start();
        await p.join();
        expect(p.error?.message).toBeUndefined();
        expect(p.exitCode).toBe(0);
        expect(await readFile(mark, 'utf8')).toBe('written by the child of the target');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('ends by itself: an idle pool and a daemon do not keep it alive; a running child does', async () => {
      // The daemon never ends: had it (or the idle pool) kept the program alive, run() would fail at its
      // 60 s limit. The non-daemon child's line, printed after the program's own last line, shows the
      // program lived on until that child was done.
      const { stdout, code } = await run('lifetime.ts', context);
      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toEqual(['[ 2, 3, 4 ]', 'main done true', 'child finished']);
    });

    it('join() on a daemon child waits for it, and so does an untimed get or recv of what a daemon sends, or what a timer a pool task left behind puts; timed joins and waits give up, and the program then ends by itself', { timeout: 120_000 }, async () => {
      // Seven children, each thread loading tsx as it starts: 30–45 s under the full CI's load.
      // Node ended such a program at the first join(), unsettled (exit code 13): nothing held it open.
      const { stdout, code } = await run('daemon-join.ts', context);
      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toEqual(daemonJoinLines(context));
    });
  });
}

it('child processes end by themselves when their parent is killed (SIGTERM) and cannot end them', { timeout: 60_000 }, async () => {
  const { pids, left } = await orphansLeft(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/orphans.ts', import.meta.url))], ['task running', 'child running']);
  expect(pids).toHaveLength(2);
  expect(left).toEqual([]);
});

describe('node thread output', () => {
  // One run of a tsx program: about 1 s here, but 20 s and more under the full CI's load.
  it('what a task prints reaches the output before its result: a map closed on its results loses none of it', { timeout: 120_000 }, async () => {
    const { stdout, code } = await run('task-output.ts', 'close');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBe(4001);
    expect(lines.at(-1)).toBe('main got 20');
    // Each task's lines in its own order, all of them.
    for (let x = 0; x < 20; x++) {
      expect(lines.filter((l) => l.startsWith(`task ${x} `))).toEqual(Array.from({ length: 200 }, (_, i) => `task ${x} line ${i}`));
    }
  });

  it('an awaited task\'s output comes before the program goes on, and a program that ends with its pool open loses none', { timeout: 120_000 }, async () => {
    const { stdout, code } = await run('task-output.ts', 'end');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(
      Array.from({ length: 10 }, (_, x) => [...Array.from({ length: 5 }, (_, i) => `task ${x} line ${i}`), `main after ${x}`]).flat(),
    );
  });

  it("starts threads before it creates the program's stdout and stderr, still copies what they print, and ends their stdin", async () => {
    const { stdout, stderr, code } = await run('output-later.ts', 'thread');
    expect(code).toBe(0);
    expect(stdout).toContain('touched while starting threads: []; after: [stdout, stderr]; 1,2,3');
    expect(stdout).toContain('stdin ended, 0 characters');
    for (const n of [1, 2, 3]) {
      expect(stdout).toContain(`thread says ${n}\n`);
      expect(stderr).toContain(`thread warns ${n}\n`);
    }
  });
});
