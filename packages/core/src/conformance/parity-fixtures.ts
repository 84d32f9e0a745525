/**
 * Task functions for the round-2 parity suites (the rest of the Manager,
 * `register`, `wait`, `SharedMemory`), sent by reference. Test code only.
 */
import type { RemoteError } from '../errors.js';
import type { ValueProxy } from '../sync/manager-proxies.js';
import type { BarrierProxy, ConditionProxy, EventProxy, RLockProxy, SemaphoreProxy } from '../sync/manager-sync-proxies.js';
import type { ArrayProxy, JoinableQueueProxy, NamespaceProxy } from '../sync/manager-data-proxies.js';

const T = 30_000;

/** Waits for `ready`, then records `key` in `ns`; returns what the wait returned. */
export async function awaitManagedEvent(ready: EventProxy, ns: NamespaceProxy, key: string): Promise<boolean> {
  const set = await ready.wait({ timeout: T });
  await ns.set(key, set);
  return set;
}

/** One party of a managed barrier: its arrival index. */
export function managedBarrierParty(barrier: BarrierProxy): Promise<number> {
  return barrier.wait({ timeout: T });
}

/** Holds the semaphore while bumping `inside`, recording the most ever inside at once in `most`. */
export async function managedCrowd(sem: SemaphoreProxy, inside: ValueProxy<'i32'>, most: ValueProxy<'i32'>, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await sem.withLock(async () => {
      const now = (await inside.add(1)) + 1;
      for (let seen = await most.get(); now > seen; seen = await most.get()) {
        if ((await most.compareExchange(seen, now)) === seen) break;
      }
      await new Promise((r) => setTimeout(r, 1));
      await inside.sub(1);
    });
  }
}

/** Waits on a managed condition until `ns.ready` is true; says it entered first (`ns.entered`). */
export async function managedConditionWaiter(cond: ConditionProxy, ns: NamespaceProxy): Promise<string> {
  await cond.acquire({ timeout: T });
  try {
    await ns.set('entered', true);
    const ok = await cond.waitFor(async () => (await ns.get('ready')) === true, { timeout: T });
    return ok ? 'woke' : 'timed out';
  } finally {
    await cond.release();
  }
}

/** Re-enters an RLock held by no one, then tries to release one the parent holds. */
export async function managedRLockChecks(mine: RLockProxy, theirs: RLockProxy): Promise<{ depth2: boolean; foreign: string }> {
  await mine.acquire();
  const depth2 = await mine.acquire({ timeout: 1_000 });
  await mine.release();
  await mine.release();
  const foreign = await theirs.release().then(
    () => 'released',
    (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`,
  );
  return { depth2, foreign };
}

/** Takes `count` items off a managed JoinableQueue, marking each done; returns their sum. */
export async function managedJoinableConsumer(q: JoinableQueueProxy<number>, count: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += await q.get({ timeout: T });
    await q.taskDone();
  }
  return sum;
}

/** Writes `i * factor` into the managed array at each of `indexes`. */
export async function fillManagedArray(array: ArrayProxy<'f64'>, indexes: number[], factor: number): Promise<number> {
  for (const i of indexes) await array.set(i, i * factor);
  return indexes.length;
}

/** A registered counter, reached anywhere inside the arguments: `n` increments. */
export async function bumpRegistered(holder: { deep: [{ inc(by?: number): Promise<number> }] }, n: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < n; i++) last = await holder.deep[0].inc(1);
  return last;
}

/** What a registered proxy's errors look like in a worker. */
export async function registeredErrors(c: Record<string, (...args: unknown[]) => Promise<unknown>>): Promise<string[]> {
  const out: string[] = [];
  await c.boom!().catch((e: unknown) => out.push(`${(e as Error).name}/${(e as RemoteError).remoteName}: ${(e as Error).message}`));
  await c.secret!().catch((e: unknown) => out.push(`${(e as Error).name}: ${(e as Error).message}`));
  return out;
}

// ---- shared memory (parity-shm-suite) ----
import type { SharedMemory } from '../sync/shared-memory.js';
import type { ShareableList, ShareableValue } from '../sync/shareable-list.js';

/** Fills bytes `from`..`to` of the block with `value`; returns the size this side sees. */
export function shmFill(shm: SharedMemory, from: number, to: number, value: number): number {
  shm.buf.fill(value, from, to);
  return shm.size;
}

/** The sum of the block's bytes, as this side sees them. */
export function shmSum(shm: SharedMemory): number {
  let sum = 0;
  for (const b of shm.buf) sum += b;
  return sum;
}

/** Reads the list, writes slot 0 and 1, and tries a value too long for slot 1. */
export function editShareableList(sl: ShareableList): { seen: ShareableValue[]; refused: string } {
  const seen = sl.toArray();
  sl.set(0, (sl.get(0) as number) + 1);
  sl.set(1, 'worker!');
  let refused = '';
  try {
    sl.set(1, 'x'.repeat(64));
  } catch (error) {
    refused = `${(error as Error).name}: ${(error as Error).message}`;
  }
  return { seen, refused };
}

// ---- wait (parity-wait-suite) ----
import type { Connection } from '../sync/pipe.js';
import type { Event } from '../sync/event.js';
import { waitSync } from '../sync/wait-objects.js';

/**
 * Says hello (`-1 - id`), then each round waits for a go on `go`, spins up to 0.5 ms (so the sends
 * land at scattered moments of the receiver's `wait`), and sends `id * 1000 + round` on `out`.
 */
export function sendOnGo(go: Connection<number>, out: Connection<number>, id: number, rounds: number): number {
  out.sendSync(-1 - id, { timeout: T });
  for (let r = 0; r < rounds; r++) {
    go.recvSync({ timeout: T });
    const until = performance.now() + Math.random() * 0.5;
    while (performance.now() < until) {
      // scatter the sends
    }
    out.sendSync(id * 1000 + r, { timeout: T });
  }
  return rounds;
}

/** Says it started, then `waitSync`s on `conns`; returns the indexes of the ready ones and what they carried. */
export function waitSyncIndexes(conns: Connection[], started: Event, timeout: number): { ready: number[]; got: unknown[] } {
  started.set();
  const ready = waitSync(conns, { timeout });
  return { ready: ready.map((c) => conns.indexOf(c)), got: ready.map((c) => c.recvSync()) };
}

/** Calls a registered proxy's `wait()`, which waits in the manager until the manager shuts down. */
export async function awaitRegisteredWait(slow: { wait(): Promise<unknown> }): Promise<unknown> {
  return slow.wait();
}
