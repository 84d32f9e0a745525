/**
 * `wait()`: Python's `multiprocessing.connection.wait(object_list, timeout)`.
 * Returns the objects that are ready — a `Connection` or queue with something
 * to receive (or closed), a `Process` that ended — in the order given.
 *
 * Nothing that becomes ready while `wait` sets up is missed: for each
 * shared-memory object the put counter is read before its state is checked,
 * and the wait is on that counter value, so a put in between wakes it at once.
 */
import { Channel, type ChannelState } from '../internal/channel.js';
import { deadlineFrom } from '../internal/blocking-options.js';
import { holdDaemons } from '../internal/daemons.js';
import { rejecting } from '../internal/rejecting.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { show } from '../internal/validate.js';
import { checkMayBlock, remaining, waitSync as blockOn } from '../internal/wait.js';
import { Process, processExited } from '../process.js';
import type { Connection, ConnectionState } from './pipe.js';
import type { JoinableQueue } from './joinable-queue.js';
import type { Queue } from './queue.js';
import type { SimpleQueue } from './simple-queue.js';

/** What `wait` can wait on. */
export type Waitable = Connection<unknown> | Queue<unknown> | JoinableQueue<unknown> | SimpleQueue<unknown> | Process<unknown[]>;

/** Options of `wait()` and `waitSync()`. */
export interface WaitOptions {
  /** Give up after this many milliseconds and return `[]`. @default no limit */
  timeout?: number;
}

type Check = { ready: true } | { ready: false; cells: Int32Array; index: number; expected: number } | { ready: false; exit: Promise<void> };

interface Probe {
  object: unknown;
  check(): Check;
}

const QUEUES = new Set(['Queue', 'JoinableQueue', 'SimpleQueue']);
/** A pending `Atomics.waitAsync` is given up after this long (and renewed if still needed), so none outlives its `wait` by much. */
const ASYNC_SLICE = 10_000;
/** With several shared-memory objects, `waitSync` blocks on the first and looks at the others at least this often (ms). */
const SYNC_SLICE = 1;

function shareOf(value: object): ShareDescription | undefined {
  const share = (value as { [SHARE]?: unknown })[SHARE];
  return typeof share === 'function' ? (share as () => ShareDescription).call(value) : undefined;
}

function probeOf(value: unknown, name: string): Probe {
  if (value instanceof Process) {
    const p = value as Process;
    if (p.pid === undefined) throw new TypeError(`${name} is a Process that was not started; start() it before waiting on it`);
    // Not join(): it would hold a daemon open until it ended, after this wait had returned (processExited).
    return { object: value, check: () => (p.isAlive() ? { ready: false, exit: processExited(p) } : { ready: true }) };
  }
  const d = typeof value === 'object' && value !== null ? shareOf(value) : undefined;
  let channel: Channel | undefined;
  if (d && QUEUES.has(d.kind)) channel = new Channel(d.state as ChannelState);
  else if (d?.kind === 'Connection') {
    const input = (d.state as ConnectionState).in;
    if (!input) throw new TypeError(`${name} is the writing end of a one-way Pipe, which never has anything to receive; wait on the reading end`);
    channel = new Channel(input);
  }
  if (!channel) {
    throw new TypeError(`${name} cannot be waited on: wait() takes Connections (Pipe ends), queues (Queue, JoinableQueue, SimpleQueue) and started Processes, got ${show(value)}`);
  }
  const c = channel;
  return { object: value, check: () => c.readiness() };
}

function probesOf(objects: unknown): Probe[] {
  if (!Array.isArray(objects)) {
    throw new TypeError(`objects must be an array of Connections, queues and Processes, got ${show(objects)}`);
  }
  return objects.map((o, i) => probeOf(o, `objects[${i}]`));
}

/** Checks every probe; the ready objects in order, and what to wait on for the others. */
function scan(probes: Probe[]): { ready: unknown[]; waits: Check[] } {
  const ready: unknown[] = [];
  const waits: Check[] = [];
  for (const p of probes) {
    const c = p.check();
    if (c.ready) ready.push(p.object);
    else waits.push(c);
  }
  return { ready, waits };
}

async function waitLoop(probes: Probe[], deadline: number): Promise<unknown[]> {
  for (;;) {
    const { ready, waits } = scan(probes);
    if (ready.length > 0 || probes.length === 0) return ready;
    const left = remaining(deadline);
    if (left === 0) return [];
    await new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // With no timeout, no timer holds the program open, but a daemon child that could make an object ready
      // must be let run (internal/daemons.ts).
      const release = left === Infinity ? holdDaemons() : undefined;
      const finish = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        release?.();
        resolve();
      };
      if (left !== Infinity) timer = setTimeout(finish, left);
      for (const w of waits) {
        if ('exit' in w) {
          void w.exit.then(finish);
        } else if (!w.ready) {
          const r = Atomics.waitAsync(w.cells, w.index, w.expected, Math.min(left, ASYNC_SLICE));
          if (r.async) void r.value.then(finish);
          else finish();
        }
      }
    });
  }
}

/**
 * Waits until at least one of `objects` is ready, and resolves to the ready ones in the order
 * given: a `Connection` (a Pipe end) or a queue with something to receive (or closed: then
 * `recv`/`get` rejects at once), a `Process` that has ended. Resolves `[]` for an empty list or
 * when `timeout` ms pass first. Never rejects for objects that become ready; rejects with a
 * `TypeError` naming anything that cannot be waited on.
 *
 * @example
 * const [a, b] = Pipe(); const [c, d] = Pipe();
 * for (;;) {
 *   for (const conn of await wait([a, c], { timeout: 5_000 })) console.log(await conn.recv());
 * }
 */
export function wait<T extends Waitable>(objects: readonly T[], options?: WaitOptions): Promise<T[]> {
  return rejecting(() => waitLoop(probesOf(objects), deadlineFrom(options, false)) as Promise<T[]>);
}

/**
 * The blocking form of `wait`, for workers: blocks this thread until one of `objects` is ready.
 * Connections and queues only (a Process's end arrives through the event loop, which a blocked
 * thread does not run). Not on a browser's main thread.
 */
export function waitSync<T extends Exclude<Waitable, Process<unknown[]>>>(objects: readonly T[], options?: WaitOptions): T[] {
  const probes = probesOf(objects);
  probes.forEach((p, i) => {
    if (p.object instanceof Process) {
      throw new TypeError(`objects[${i}] is a Process: waitSync() cannot see it end (that news arrives through the event loop, which a blocked thread does not run); use await wait(objects)`);
    }
  });
  const deadline = deadlineFrom(options, false);
  checkMayBlock(deadline, 'wait');
  let slice = SYNC_SLICE / 8;
  for (;;) {
    const { ready, waits } = scan(probes);
    if (ready.length > 0 || probes.length === 0) return ready as T[];
    const left = remaining(deadline);
    if (left === 0) return [];
    const first = waits[0] as { cells: Int32Array; index: number; expected: number };
    // One object: sleep until it changes. Several: sleep on the first, looking at the rest every slice.
    blockOn(first.cells, first.index, first.expected, waits.length === 1 ? left : Math.min(left, slice), 'wait');
    slice = Math.min(SYNC_SLICE, slice * 2);
  }
}
