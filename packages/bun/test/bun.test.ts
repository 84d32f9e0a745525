/**
 * Bun-specific behaviour, in both contexts: what children print reaches stdout
 * before join() resolves and idle workers do not keep the program alive (both
 * seen from outside, in a separate program); a worker that ends itself is
 * noticed, also after an unhandled rejection; Bun's constant inlining does not hide a captured object.
 */
import { describe, it } from 'bun:test';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { daemonJoinLines, orphansLeft, outputLines } from '@mp/core/conformance';
import { Pool, Process, RemoteError, WorkerExitError, isMainThread, task } from '../src/index.ts';

function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new Error(message);
}
const equal = (actual: unknown, expected: unknown, message = ''): void =>
  ok(Object.is(actual, expected), `${message} expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);

function run(fixture: string, arg: string): Promise<{ stdout: string; code: number }> {
  const file = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['run', file, arg], { timeout: 30_000 }, (error, stdout) => {
      if (error?.killed) reject(new Error('the program did not end in time', { cause: error }));
      else resolve({ stdout, code: error ? Number(error.code) : 0 });
    });
  });
}

it('child processes end by themselves when their parent is killed (SIGTERM) and cannot end them', async () => {
  const { pids, left } = await orphansLeft(process.execPath, ['run', fileURLToPath(new URL('./fixtures/orphans.ts', import.meta.url))], ['task running', 'child running']);
  equal(pids.length, 2);
  equal(JSON.stringify(left), '[]');
}, 60_000);

for (const context of ['thread', 'process']) {
  describe(`bun ${context}`, () => {
    it("prints the child's output before join() resolves (seed Q3)", async () => {
      const { stdout, code } = await run('print-order.ts', context);
      equal(code, 0);
      const expected = [0, 1, 2].flatMap((r) => [`Hello from a child process ${r}`, `Child process has terminated ${r}`]);
      equal(stdout.trim(), expected.join('\n'));
    }, 30_000);

    it("prints all of a child's output, more than a pipe holds, before join() resolves, and a pool task's before its result", async () => {
      const { stdout, code } = await run('output.ts', context);
      equal(code, 0);
      equal(stdout.trim(), outputLines().join('\n'));
    }, 40_000);

    it('ends by itself: an idle pool and a daemon do not keep it alive; a running child does', async () => {
      // The daemon never ends: had it (or the idle pool) kept the program alive, run() would fail at its
      // 30 s limit. The non-daemon child's line, printed after the program's own last line, shows the
      // program lived on until that child was done.
      const { stdout, code } = await run('lifetime.ts', context);
      equal(code, 0);
      equal(stdout.trim(), ['[ 2, 3, 4 ]', 'main done true', 'child finished'].join('\n'));
    }, 40_000);

    it('join() on a daemon child waits for it, and so does an untimed get or recv of what a daemon sends, or what a timer a pool task left behind puts; timed joins and waits give up, and the program then ends by itself', async () => {
      const { stdout, code } = await run('daemon-join.ts', context);
      equal(code, 0);
      equal(stdout.trim(), daemonJoinLines(context).join('\n'));
    }, 40_000);

    it('process.exit(n) and self.close() in a child are noticed', async () => {
      const exits = new Process({ target: (n: number) => process.exit(n), args: [5], context }).start();
      await exits.join();
      equal(exits.exitCode, 5);
      if (context === 'thread') {
        const closes = new Process({ target: () => (globalThis as unknown as { close(): void }).close(), context }).start();
        await closes.join();
        equal(closes.exitCode, 0);
      }
    });

    it('an unhandled rejection ends the worker with code 1: the task fails with WorkerExitError', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        const error = await pool
          .apply(() => {
            void Promise.reject(new Error('stray'));
            return new Promise(() => {});
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        ok(WorkerExitError.isInstance(error), String(error));
        equal((error as WorkerExitError).exitCode, 1);
        equal(await pool.apply((n: number) => n * 2, [21]), 42);
      } finally {
        await pool.terminate();
      }
    });

    it('isMainThread is true in the main program and false inside a worker', async () => {
      equal(isMainThread, true);
      const check = task<() => boolean>(new URL('./fixtures/is-main.ts', import.meta.url), 'check');
      const pool = new Pool({ processes: 1, context });
      try {
        equal(await pool.apply(check, []), false, 'in a worker');
      } finally {
        await pool.terminate();
      }
    });

    it('a captured object fails with a RemoteError naming it', async () => {
      const settings = { base: 41 };
      const p = new Process({ target: () => settings.base + 1, context }).start();
      await p.join();
      equal(p.exitCode, 1);
      ok(p.error instanceof RemoteError && p.error.message.includes('settings') && p.error.message.includes('task('), p.error?.message);
    });
  });
}

it('resourceLimits is refused, naming bun', () => {
  let caught: unknown;
  try {
    new Pool({ processes: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } });
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof TypeError && /resourceLimits is not supported on bun/.test(caught.message), String(caught));
});
