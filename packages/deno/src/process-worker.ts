/**
 * The `'process'` context on Deno: a child `deno run` started with
 * `node:child_process`'s `fork()` (Deno's `execPath`), with an IPC channel
 * using V8 serialization, so messages are structured-cloned as with threads.
 * The worker's `permissions` become the child's `--allow-*` flags. The child
 * shares our stdout and stderr and writes to them synchronously, so what it
 * printed is out by the time its end ('close') is reported. Unreferenced
 * children (daemons, idle pool workers) are killed when the program exits.
 */
import type * as NodeChildProcess from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { childReaper, type SpawnRequest, type WorkerEvents, type WorkerHandle } from '@mp/core';
import type { DenoPermissions } from './runtime.ts';
import { assertCloneable } from './cloneable.ts';

interface DenoPermissionsApi {
  execPath(): string;
  permissions: { querySync(descriptor: { name: string }): { state: string } };
}
const Deno = (globalThis as unknown as { Deno: DenoPermissionsApi }).Deno;

const entryUrl = new URL(import.meta.url.endsWith('.ts') ? './process-entry.ts' : './process-entry.js', import.meta.url);
const NAMES = ['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import'] as const;

/**
 * Node's `process` and `fork`, taken when the first child starts, not at import: the first touch of
 * either starts Deno's Node compatibility layer, about 30 ms of `import('@mp/deno')` (against about
 * 10 ms for the rest) for a program that only uses threads. `process.getBuiltinModule` is Deno's too.
 */
interface NodeProcess {
  once(event: 'exit', listener: () => void): unknown;
  getBuiltinModule(id: 'node:child_process'): typeof NodeChildProcess;
}
const nodeProcess = (): NodeProcess => (globalThis as unknown as { process: NodeProcess }).process;

/** Unreferenced children (daemons, idle pool workers) die with the program. */
const unreferenced = childReaper<ChildProcess>((killAll) => nodeProcess().once('exit', killAll));

function granted(name: string): boolean {
  try {
    return Deno.permissions.querySync({ name }).state === 'granted';
  } catch {
    return false; // a permission this Deno does not know
  }
}

/**
 * The child's flags for `permissions`: `'inherit'` (the default) passes on each permission this
 * program holds in full; `'none'` none; an object, per permission, `true`, a list, `'inherit'`,
 * or `false`/left out (not granted), as Deno's worker option reads it.
 */
export function permissionFlags(permissions: DenoPermissions | undefined): string[] {
  const p = permissions ?? 'inherit';
  if (p === 'none') return [];
  if (p === 'inherit') return NAMES.filter(granted).map((name) => `--allow-${name}`);
  const flags: string[] = [];
  for (const [name, value] of Object.entries(p)) {
    if (!(NAMES as readonly string[]).includes(name)) {
      throw new TypeError(`permissions.${name} is not a Deno permission; the permissions are ${NAMES.join(', ')}`);
    }
    const valid = value === undefined || value === 'inherit' || typeof value === 'boolean' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!valid) {
      const got = typeof value === 'string' || Array.isArray(value) ? JSON.stringify(value) : String(value);
      throw new TypeError(`permissions.${name} must be 'inherit', true, false or a list of strings, got ${got}`);
    }
    if (value === true || (value === 'inherit' && granted(name))) flags.push(`--allow-${name}`);
    else if (Array.isArray(value) && value.length > 0) flags.push(`--allow-${name}=${value.join(',')}`);
  }
  return flags;
}

export function spawnProcess(request: SpawnRequest, events: WorkerEvents, permissions?: DenoPermissions): WorkerHandle {
  let flags: string[];
  try {
    flags = permissionFlags(permissions);
  } catch (error) {
    events.onError(error);
    setTimeout(() => events.onExit(1, null), 0);
    return { pid: -1, postMessage: () => {}, terminate: () => {}, setRef: () => {} };
  }
  // Deno's fork() adds -A when the arguments hold no permission flag at all: deny one instead, which
  // (under --no-prompt) is what not granting it means anyway.
  if (flags.length === 0) flags.push('--deny-env');
  let exited = false;
  const child = nodeProcess().getBuiltinModule('node:child_process').fork(entryUrl.pathname, [], {
    execPath: Deno.execPath(),
    execArgv: ['run', '--no-prompt', ...flags],
    serialization: 'advanced',
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (m: unknown) => events.onMessage(m));
  child.on('error', (e) => events.onError(e));
  child.once('close', (code, signal) => {
    exited = true;
    unreferenced.delete(child);
    events.onExit(code, signal);
  });
  return {
    pid: child.pid ?? -1,
    postMessage: (message) => {
      // After the end, a send would fail; the end is being reported already.
      if (exited) return;
      assertCloneable(message);
      child.send(message as never, undefined, undefined, (error: Error | null) => {
        // A write that failed halfway leaves the channel unusable: end the child, as a crash would.
        if (error && !exited) {
          events.onError(error);
          child.kill('SIGKILL');
        }
      });
    },
    terminate: (signal) => {
      if (!exited) child.kill(signal);
    },
    setRef: (ref) => {
      const channel = (child as unknown as { channel?: { ref?: () => void; unref?: () => void } }).channel;
      if (ref) {
        unreferenced.delete(child);
        child.ref();
        channel?.ref?.();
      } else {
        unreferenced.add(child);
        child.unref();
        channel?.unref?.();
      }
    },
  };
}
