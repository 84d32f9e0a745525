/**
 * The `'process'` context: a child Bun process (`Bun.spawn`) with an IPC
 * channel using `serialization: 'advanced'`, so messages are structured-cloned
 * as with threads. Memory cannot move between processes: transferred values
 * are copied. The child shares our stdout and stderr, and Bun calls `onExit`
 * after its last message, so what it printed is out by then. Unreferenced
 * children (daemons, idle pool workers) are killed when the parent exits, as
 * Python does with daemonic children.
 */
import { childReaper, type SpawnRequest, type WorkerEvents, type WorkerHandle } from '@mp/core';
import { entryPath } from './entry.ts';

interface Subprocess {
  readonly pid: number;
  send(message: unknown): void;
  kill(signal?: string): void;
  ref(): void;
  unref(): void;
}

interface SpawnOptions {
  cmd: string[];
  env: Record<string, string | undefined>;
  stdio: ['inherit', 'inherit', 'inherit'];
  serialization: 'advanced';
  ipc(message: unknown): void;
  onExit(subprocess: Subprocess, exitCode: number | null, signalCode: string | null, error?: unknown): void;
}

const Bun = (globalThis as unknown as { Bun: { spawn(options: SpawnOptions): Subprocess } }).Bun;
/** Unreferenced children (daemons, idle pool workers) die with the parent. */
const unreferenced = childReaper<Subprocess>((killAll) => process.once('exit', killAll));

export function spawnProcess(request: SpawnRequest, events: WorkerEvents): WorkerHandle {
  let exited = false;
  const child = Bun.spawn({
    cmd: [process.execPath, entryPath],
    env: { ...process.env, MP_WORKER: '1' },
    stdio: ['inherit', 'inherit', 'inherit'],
    serialization: 'advanced',
    ipc: (message) => events.onMessage(message),
    onExit: (subprocess, code, signal, error) => {
      exited = true;
      unreferenced.delete(subprocess);
      if (error !== undefined) events.onError(error);
      events.onExit(code, signal);
    },
  });
  return {
    pid: child.pid,
    postMessage: (message) => {
      // After the exit, Bun's send() throws; the end is being reported already.
      if (!exited) child.send(message);
    },
    terminate: (signal) => {
      if (!exited) child.kill(signal);
    },
    setRef: (ref) => {
      if (ref) {
        unreferenced.delete(child);
        child.ref();
      } else {
        unreferenced.add(child);
        child.unref();
      }
    },
  };
}
