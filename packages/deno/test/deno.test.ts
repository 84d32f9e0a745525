/**
 * Deno-specific behaviour: what children print reaches stdout before join()
 * resolves (seen from outside, in a separate program), a worker that ends
 * itself with Deno.exit or self.close is noticed, and `permissions` narrows
 * what workers may do.
 */
import { daemonJoinLines, orphansLeft, outputLines } from '@mp/core/conformance';
import { Pool, Process, isMainThread, task } from '../src/index.ts';
import { Deno } from './deno-api.ts';

function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new Error(message);
}
const equal = (actual: unknown, expected: unknown, message = ''): void =>
  ok(Object.is(actual, expected), `${message} expected ${String(expected)}, got ${String(actual)}`);
const deepEqual = (actual: unknown, expected: unknown, message = ''): void =>
  equal(JSON.stringify(actual), JSON.stringify(expected), message);

const packageDir = new URL('..', import.meta.url).pathname;

async function run(fixture: string, flags: string[] = ['-A'], timeoutMs?: number, programArgs: string[] = []): Promise<{ code: number; lines: string[]; stderr: string }> {
  const args = ['run', '--no-prompt', '--no-check', ...flags, `test/fixtures/${fixture}`, ...programArgs];
  const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const out = await new Deno.Command(Deno.execPath(), { args, cwd: packageDir, stdout: 'piped', stderr: 'piped', signal }).output();
  const text = new TextDecoder().decode(out.stdout);
  return { code: out.code, lines: text.trim().split('\n'), stderr: new TextDecoder().decode(out.stderr) };
}

const test = (name: string, fn: () => Promise<void>): void =>
  Deno.test({ name: `deno: ${name}`, fn, sanitizeOps: false, sanitizeResources: false });

test("the child's output reaches stdout before join() resolves (seed Q3)", async () => {
  const { code, lines } = await run('print-order.ts');
  equal(code, 0);
  deepEqual(lines, [0, 1, 2].flatMap((r) => [`Hello from a child process ${r}`, `Child process has terminated ${r}`]));
});

for (const context of ['thread', 'process']) {
  test(`${context}: all of a child's output, more than a pipe holds, reaches stdout before join() resolves, and a pool task's before its result`, async () => {
    const { code, lines, stderr } = await run('output.ts', ['-A'], 90_000, [context]);
    equal(code, 0, stderr);
    deepEqual(lines, outputLines());
  });
}

test('a running child keeps the program alive until it ends; then the program ends by itself', async () => {
  // The non-daemon child's line, printed after the program's own last line, shows the program lived on
  // until that child was done; a program that did not end then would hit the time limit.
  const { code, lines, stderr } = await run('lifetime.ts', ['-A'], 60_000);
  equal(code, 0, stderr);
  deepEqual(lines, ['[2,3,4]', 'main done true', 'child finished']);
});

test('join() on a daemon child waits for it, and so does an untimed get or recv of what a daemon sends, or what a timer a pool task left behind puts; timed joins and waits give up at their timeouts', async () => {
  const { code, lines, stderr } = await run('daemon-join.ts', ['-A'], 60_000);
  equal(code, 0, stderr);
  deepEqual(lines, daemonJoinLines());
});

test('child processes end by themselves when their parent is killed (SIGTERM) and cannot end them', async () => {
  const { pids, left } = await orphansLeft(Deno.execPath(), ['run', '--no-prompt', '--no-check', '-A', new URL('./fixtures/orphans.ts', import.meta.url).pathname], ['task running', 'child running']);
  equal(pids.length, 2);
  deepEqual(left, []);
});

test("threads' pids are unique in the program, a thread's own threads included", async () => {
  const { Queue } = await import('../src/index.ts');
  const pids = new Queue<number>();
  const stop = new Queue<number>();
  const adapter = new URL('../src/index.ts', import.meta.url).href;
  // By value: each reports its pid and waits to be told to end; the second starts a third (its leaf) first.
  const report = async (pids: { put(v: number): Promise<void> }, stop: { get(): Promise<number> }, url: string, nest: boolean): Promise<void> => {
    const mp = (await import(url)) as typeof import('../src/index.ts');
    await pids.put(mp.currentProcess().pid);
    const leaf = async (pids: { put(v: number): Promise<void> }, stop: { get(): Promise<number> }, url: string): Promise<void> => {
      const mp = (await import(url)) as typeof import('../src/index.ts');
      await pids.put(mp.currentProcess().pid);
      await stop.get();
    };
    const inner = nest ? new mp.Process({ target: leaf, args: [pids, stop, url] }).start() : undefined;
    await stop.get();
    await inner?.join();
  };
  const a = new Process({ target: report, args: [pids, stop, adapter, false] }).start();
  const b = new Process({ target: report, args: [pids, stop, adapter, true] }).start();
  const seen = [await pids.get(), await pids.get(), await pids.get()];
  for (let i = 0; i < 3; i++) await stop.put(1);
  await Promise.all([a.join(), b.join()]);
  equal(new Set(seen).size, 3, `pids ${JSON.stringify(seen)}`);
  ok(seen.includes(a.pid!) && seen.includes(b.pid!), `pids ${JSON.stringify(seen)} include a's and b's`);
});

test('Deno.exit(n) and self.close() in a child are noticed', async () => {
  const exits = new Process({ target: () => (globalThis as unknown as { Deno: { exit(c: number): void } }).Deno.exit(5) }).start();
  const closes = new Process({ target: () => (globalThis as unknown as { close(): void }).close() }).start();
  await Promise.all([exits.join(), closes.join()]);
  equal(exits.exitCode, 5);
  equal(closes.exitCode, 0);
});

test('permissions narrows what workers may do; a task module needs read access to load', async () => {
  const { code, lines, stderr } = await run('permissions.ts', ['-A', '--unstable-worker-options']);
  equal(code, 0, stderr);
  deepEqual(lines, ['none NotCapable RemoteError', 'read 1 NotCapable 49', 'read 2 read ok 49', 'inherit read ok 49']);
});

test('permissions without --unstable-worker-options: Deno itself ends the program with exit code 70', async () => {
  const { code, stderr } = await run('escalate.ts', ['-A']);
  equal(code, 70);
  ok(stderr.includes('--unstable-worker-options'), stderr);
});

test('permissions wider than the program fail the worker start: the Process and the pool call report it', async () => {
  const { code, lines, stderr } = await run('escalate.ts', ['--allow-read', '--unstable-worker-options']);
  equal(code, 0, stderr);
  equal(lines[0], "1 NotCapable Can't escalate parent thread permissions");
  ok(/^WorkerExitError .*\(NotCapable: Can't escalate parent thread permissions\)$/.test(lines[1] ?? ''), lines[1]);
});

test('bad Deno options throw at the call site, naming the option', async () => {
  let caught: unknown;
  try {
    new Pool({ processes: 1, permissions: 5 as never });
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof TypeError && /^permissions must be 'inherit', 'none' or an object/.test(caught.message), String(caught));
  caught = undefined;
  try {
    new Pool({ processes: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } });
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof TypeError && /resourceLimits is not supported on deno/.test(caught.message), String(caught));
  await Promise.resolve();
});

test('isMainThread is true in the main program and false inside a worker', async () => {
  equal(isMainThread, true);
  const check = task<() => boolean>(new URL('./fixtures/is-main.ts', import.meta.url), 'check');
  const pool = new Pool({ processes: 1 });
  try {
    equal(await pool.apply(check, []), false, 'in a worker');
  } finally {
    await pool.terminate();
  }
});
