/**
 * The `'process'` context: a child process (`child_process.fork`) with an IPC
 * channel using V8 serialization, so messages are structured-cloned as with
 * threads. Transfer lists cannot move memory between processes; transferred
 * values are copied. Unreferenced children (daemons, idle pool workers) are
 * killed when the parent exits, as Python does with daemonic children.
 */
import type { ChildProcess } from 'node:child_process';
import type * as NodeChildProcess from 'node:child_process';
import { childReaper, type SpawnRequest, type WorkerEvents, type WorkerHandle } from '@mp/core';
import { entryPath, fromSource, tsxLoader } from './entry.js';
import { forwardOutput } from './output.js';

/** Unreferenced children (daemons, idle pool workers) die with the parent. */
const unreferenced = childReaper<ChildProcess>((killAll) => process.once('exit', killAll));

/**
 * `fork`, taken when the first child starts: `node:child_process` brings `net`, `dgram` and their bindings,
 * about 3.3 ms of `import('@mp/node')` for a program that only uses threads. (`process.getBuiltinModule`:
 * Node 20.16+, older than the versions mp supports.)
 */
function fork(...args: Parameters<typeof NodeChildProcess.fork>): ChildProcess {
  const builtin = process as unknown as { getBuiltinModule(id: 'node:child_process'): typeof NodeChildProcess };
  return builtin.getBuiltinModule('node:child_process').fork(...args);
}

export function spawnProcess(request: SpawnRequest, events: WorkerEvents): WorkerHandle {
  const execArgv: string[] = [];
  if (fromSource()) execArgv.push('--import', tsxLoader());
  const limits = request.resourceLimits;
  if (limits?.maxOldGenerationSizeMb) execArgv.push(`--max-old-space-size=${limits.maxOldGenerationSizeMb}`);
  if (limits?.maxYoungGenerationSizeMb) execArgv.push(`--max-semi-space-size=${limits.maxYoungGenerationSizeMb}`);
  if (limits?.stackSizeMb) execArgv.push(`--stack-size=${Math.floor(limits.stackSizeMb * 1024)}`);
  const child = fork(entryPath(), [], {
    serialization: 'advanced',
    stdio: ['inherit', 'pipe', 'pipe', 'ipc'],
    execArgv,
    env: { ...process.env, MP_WORKER: '1', MP_WORKER_NAME: request.name },
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const output = forwardOutput([child.stdout, child.stderr], (m) => events.onMessage(m));
  child.on('message', (m: unknown) => output.message(m));
  child.on('error', (e) => events.onError(e));
  // 'close' comes after the exit and after the child's stdio has drained.
  child.once('close', (code, signal) => {
    output.ended();
    unreferenced.delete(child);
    if (code !== 0 && signal === null && /out of memory/i.test(stderrTail)) {
      events.onError(Object.assign(new Error('the child process ran out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }));
    }
    events.onExit(code, signal);
  });
  return {
    pid: child.pid ?? -1,
    postMessage: (message) => {
      child.send(message as never);
    },
    terminate: (signal) => {
      child.kill(signal);
    },
    setRef: (ref) => {
      const streams = [child.stdout, child.stderr] as unknown as ({ ref?: () => void; unref?: () => void } | null)[];
      const channel = (child as unknown as { channel?: { ref?: () => void; unref?: () => void } }).channel;
      if (ref) {
        unreferenced.delete(child);
        child.ref();
        channel?.ref?.();
        for (const s of streams) s?.ref?.();
      } else {
        unreferenced.add(child);
        child.unref();
        channel?.unref?.();
        for (const s of streams) s?.unref?.();
      }
    },
  };
}
