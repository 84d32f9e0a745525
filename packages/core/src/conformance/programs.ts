/**
 * Whole programs for the adapters' program-level tests: what a program does when nothing else holds it open,
 * which a test runner (its own event loop kept alive) cannot show. Node, Bun and Deno each run them from a
 * fixture of a few lines in a fresh process, and check what they print or what is left running after them.
 * Lines are printed as single strings: Deno colours numbers when FORCE_COLOR is set, even to 0 (as in CI).
 */
import { Manager } from '../sync/manager.js';
import { Pipe } from '../sync/pipe.js';
import { Queue } from '../sync/queue.js';
import { wait } from '../sync/wait-objects.js';
import type { AdapterApi } from './harness.js';

/** How a program-level test runs a program. */
export interface ProgramOptions {
  /** The `context` of its children (left out: the adapter's default, threads). */
  context?: string | undefined;
  /** Whether a daemon that runs on is left behind at the end (false where a worker cannot be unreferenced: Deno). */
  leaveDaemons: boolean;
}

/**
 * A program whose only work is waiting on daemon children: `join()` waits for one (its line comes before the
 * program's next); an untimed get of what a daemon puts on a Manager's Queue and, where memory is shared, on a
 * Queue, and an untimed `wait()` and `recv()` of what it sends on a Pipe, are waited for; a `join(timeout)` and a
 * `wait(timeout)` on one that runs on give up at their timeouts; `terminate()` waits for the end it asked for;
 * and the program then ends by itself without waiting for the daemons still running. (A daemon does not keep a
 * program alive by itself; a wait on it does.) So do a pool's idle workers: an untimed get of what a pool task's
 * timer puts later, after the task has returned, is waited for, and the pool, left open, does not hold the
 * program at its end. Prints the lines `daemonJoinLines` gives.
 */
export async function daemonJoinProgram(api: Pick<AdapterApi, 'Process' | 'Pool'>, options: ProgramOptions): Promise<void> {
  const { Process } = api;
  const context = options.context === undefined ? {} : { context: options.context };
  const runOn: { terminate(): Promise<void> }[] = [];
  const short = new Process({
    target: () => new Promise<void>((resolve) => setTimeout(() => (console.log('daemon finished'), resolve()), 300)),
    daemon: true,
    ...context,
  }).start();
  await short.join();
  console.log(`joined ${short.exitCode}`);

  // A daemon that, 0.3 s in, calls `to[method](value)` (a put or a send), then runs on. By value, so
  // self-contained: the object, the method and the value come as arguments.
  const deliver = (to: unknown, method: string, value: string): void => {
    const p = new Process({
      target: async (to: unknown, method: string, value: string) => {
        await new Promise((r) => setTimeout(r, 300));
        await (to as Record<string, (v: string) => Promise<void>>)[method]!(value);
        await new Promise(() => setInterval(() => {}, 1000));
      },
      args: [to, method, value],
      daemon: true,
      ...context,
    }).start();
    runOn.push(p);
  };

  // A pool task that returns at once and leaves a timer behind, which puts `value` on `to` 0.3 s later. First,
  // while no daemon runs on (a wait holds those, and the program with them).
  const pool = new api.Pool({ processes: 1, ...context });
  const putLater = (to: unknown, value: string): string => {
    setTimeout(() => void (to as { put(v: string): Promise<void> }).put(value), 300);
    return 'task returned';
  };
  const manager = await Manager.start();
  const managed = await manager.Queue<string>();
  console.log(await pool.apply(putLater, [managed, 'put later by a pool task on a managed Queue']));
  console.log(await managed.get());
  const q = options.context === 'process' ? undefined : new Queue<string>();
  if (q) {
    console.log(await pool.apply(putLater, [q, 'put later by a pool task']));
    console.log(await q.get());
  }

  deliver(managed, 'put', 'put by a daemon on a managed Queue');
  console.log(await managed.get());
  await manager.shutdown();

  if (q) {
    deliver(q, 'put', 'put by a daemon');
    console.log(await q.get());
    const [a, b] = Pipe<string>();
    deliver(b, 'send', 'sent by a daemon');
    console.log(`${(await wait([a])).length} ${await a.recv()}`);
  }

  const long = new Process({ target: () => new Promise(() => setInterval(() => {}, 1000)), daemon: true, ...context }).start();
  runOn.push(long);
  await long.join(100);
  console.log(`join(100) ${long.isAlive()}`);
  console.log(`wait ${(await wait([long], { timeout: 100 })).length}`);
  // A wait that returns for another object does not hold the daemon it also waited on: the program still ends.
  const [c, d] = Pipe<string>();
  void d.send('ready');
  console.log(`wait for either ${(await wait([c, long])).length}`);
  const other = new Process({ target: () => new Promise(() => setInterval(() => {}, 1000)), daemon: true, ...context }).start();
  await other.terminate();
  console.log(`terminated ${other.exitCode}`);
  if (!options.leaveDaemons) await Promise.all([...runOn.map((p) => p.terminate()), pool.terminate()]);
  console.log('main done');
}

/** What daemonJoinProgram prints with `context`. */
export function daemonJoinLines(context?: string): string[] {
  const shared = context !== 'process';
  const byPool = ['task returned', 'put later by a pool task on a managed Queue', ...(shared ? ['task returned', 'put later by a pool task'] : [])];
  const byDaemons = ['put by a daemon on a managed Queue', ...(shared ? ['put by a daemon', '1 sent by a daemon'] : [])];
  return ['daemon finished', 'joined 0', ...byPool, ...byDaemons, 'join(100) true', 'wait 0', 'wait for either 1', 'terminated -15', 'main done'];
}

/** How many long lines outputProgram's children print at once: far more than a pipe holds (64 KiB). */
const OUTPUT_LINES = 3000;

/**
 * A program whose children print a lot, and whose pool tasks print before they return: all of a `Process`
 * target's output (some 330 KB, more than a pipe holds) reaches the program's output before `join()` resolves,
 * and each task's line comes before the line the program prints once that task's result is in; a task that
 * prints as much is seen whole before its result too. A child process's output comes on a pipe of its own, its
 * messages on another: the output must not be cut off at its exit, nor overtaken by its messages. Prints the lines
 * `outputLines` gives.
 */
export async function outputProgram(api: Pick<AdapterApi, 'Process' | 'Pool'>, options: Pick<ProgramOptions, 'context'>): Promise<void> {
  const context = options.context === undefined ? {} : { context: options.context };
  const printMany = (label: string, n: number): void => {
    for (let i = 0; i < n; i++) console.log(`${label} ${i} ${'.'.repeat(100)}`);
  };
  const child = new api.Process({ target: printMany, args: ['child line', OUTPUT_LINES], ...context }).start();
  await child.join();
  console.log(`joined ${child.exitCode}`);
  const pool = new api.Pool({ processes: 2, ...context });
  for (let i = 0; i < 20; i++) {
    await pool.apply((i: number) => console.log(`task ${i}`), [i]);
    console.log(`result ${i}`);
  }
  await pool.apply(printMany, ['pool line', OUTPUT_LINES]);
  console.log('pool done');
  pool.close();
  await pool.join();
}

/** What outputProgram prints. */
export function outputLines(): string[] {
  const many = (label: string): string[] => Array.from({ length: OUTPUT_LINES }, (_, i) => `${label} ${i} ${'.'.repeat(100)}`);
  const tasks = Array.from({ length: 20 }, (_, i) => [`task ${i}`, `result ${i}`]).flat();
  return [...many('child line'), 'joined 0', ...tasks, ...many('pool line'), 'pool done'];
}

/**
 * A program with busy child processes — a pool worker running a task that never ends, and a Process whose
 * target never ends — that its test then kills (SIGTERM, see orphansLeft), so it never gets to end its
 * children: they must end by themselves rather than run on, orphaned. Prints the children's pids; each child
 * prints a line when it is busy ('task running', 'child running'). The program itself never ends.
 */
export async function orphansProgram(api: Pick<AdapterApi, 'Pool' | 'Process'>): Promise<void> {
  const pool = new api.Pool({ processes: 1, context: 'process' });
  const pid = (): number => {
    const g = globalThis as { Deno?: { pid: number }; process?: { pid: number } };
    return g.Deno?.pid ?? g.process!.pid;
  };
  const workerPid = await pool.apply(pid, []);
  void pool.apply(() => (console.log('task running'), new Promise(() => setInterval(() => {}, 1000))), []).catch(() => {});
  const child = new api.Process({ target: () => (console.log('child running'), new Promise(() => setInterval(() => {}, 1000))), context: 'process' }).start();
  setInterval(() => {}, 1000);
  console.log(JSON.stringify({ pids: [workerPid, child.pid] }));
}
