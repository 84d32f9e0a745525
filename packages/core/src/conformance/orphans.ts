/**
 * A program-level check for the adapters' own tests (Node, Bun and Deno each run it in their runtime): a parent
 * program is started, prints `{"pids":[…]}` once its child processes are busy, and is then killed with SIGTERM,
 * so it never ends its children. They must end by themselves (WorkerPort.onParentGone) rather than run on,
 * orphaned. Uses `node:child_process` and `/proc`, which all three runtimes have on Linux; not for pages.
 */

interface ChildProcessModule {
  spawn(command: string, args: string[], options: { stdio: ['ignore', 'pipe', 'inherit'] }): {
    stdout: { on(event: 'data', listener: (chunk: Uint8Array) => void): void };
    once(event: 'exit', listener: (code: number | null) => void): void;
    kill(signal: string): boolean;
  };
}
interface FsModule {
  readFileSync(path: string, encoding: 'utf8'): string;
}

/** What {@link orphansLeft} found. */
export interface Orphans {
  /** The children's pids the parent printed (all running when it was killed). */
  pids: number[];
  /** Those still running 20 s after the parent was killed (then killed by the check). */
  left: number[];
}

/**
 * Kills the parent `command args` once it has printed its children's pids and each of the lines `ready` (the
 * children say they are busy: a child that has not yet started its runtime is a different case); resolves to
 * the pids still running 20 s later (then killed).
 */
export async function orphansLeft(command: string, args: string[], ready: string[]): Promise<Orphans> {
  // Not literals: a bundler of the conformance suite for pages must not try to resolve them.
  const cp = (await import(['node', 'child_process'].join(':'))) as ChildProcessModule;
  const fs = (await import(['node', 'fs'].join(':'))) as FsModule;
  const parent = cp.spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const pids = await new Promise<number[]>((resolve, reject) => {
    let out = '';
    const decoder = new TextDecoder();
    parent.stdout.on('data', (chunk) => {
      out += decoder.decode(chunk);
      const line = /\{"pids":.*\}/.exec(out);
      if (line && ready.every((r) => out.includes(`${r}\n`))) resolve((JSON.parse(line[0]) as { pids: number[] }).pids);
    });
    parent.once('exit', (code) => reject(new Error(`the parent program ended before it was killed (exit ${code}): ${out}`)));
  });
  // Ended means gone or a zombie: an orphan's exit status waits for whoever reaps it (a container's pid 1 may not).
  const running = (pid: number): boolean => {
    try {
      return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  if (!pids.every(running)) throw new Error(`not every child was running before the parent was killed: ${JSON.stringify(pids)}`);
  parent.kill('SIGTERM');
  const until = Date.now() + 20_000;
  while (pids.some(running) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const left = pids.filter(running);
  for (const pid of left) {
    try {
      (globalThis as unknown as { process: { kill(pid: number, signal: string): void } }).process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return { pids, left };
}
