/**
 * A lone task goes to a host by request/reply before the work queue: awaited applies skip JetStream, a host
 * that stalls holding such a task does not lose it, and a busy host sends it to the queue.
 */
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { Pool, task, type TaskFn } from '@mp/node';
import { cluster, host } from '../src/index.ts';
import { natsPerTest, startHost } from './hosts.ts';

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const slow = task<(i: number, ms: number) => Promise<number>>(tasksUrl, 'slow');
const echo = task<(x: number) => number>(tasksUrl, 'echo');
const freezeOnce = task<(file: string) => string>(tasksUrl, 'freezeOnce');
const whichWorker = task<() => string>(tasksUrl, 'whichWorker');

const bed = natsPerTest('mp-nats-direct-');

/**
 * Counts the requests a connection (the test's) sends on a cluster's direct subjects: to the queue group, and to one
 * host. It wraps the connection's publish, not a subscription: a subscriber on a host's own subject would take
 * the requests sent there after the host left (the server's "no responders" is the caller's cue).
 */
function watchDirect(name: string, nc: NatsConnection = bed.nc): () => number {
  let n = 0;
  const group = `mp.${name}.direct`;
  const publish = nc.publish.bind(nc);
  nc.publish = (subject, ...rest) => {
    if (subject === group || subject.startsWith(`${group}.`)) n++;
    publish(subject, ...rest);
  };
  return () => n;
}

/**
 * Calls `fn` until a call goes by the direct path (at most 30 calls): the caller picks that path from what the
 * function cost on hosts, smoothed, so a first call measured slow on a loaded machine (a cold worker importing the
 * module) takes a few quick ones to bring the figure under the limit. Fails if no call ever went direct.
 */
async function untilDirect<A extends unknown[]>(pool: Pool, fn: TaskFn<A, unknown>, args: A, direct: () => number): Promise<void> {
  const before = direct();
  for (let i = 0; i < 30 && direct() === before; i++) await pool.apply(fn, args);
  expect(direct(), 'no call went by the direct path in 30').toBeGreaterThan(before);
}

async function published(name: string): Promise<number> {
  const jsm = await jetstreamManager(bed.nc);
  return (await jsm.streams.info(`MP_${name}`)).state.last_seq;
}

describe('a lone task', () => {
  it('awaited applies of a quick function go by request/reply, not through JetStream, each with its result', async () => {
    bed.hosts = await Promise.all(['a', 'b'].map((n) => startHost({ servers: bed.server.url, name: 'lone', hostName: `lone-${n}`, allow: ['/'], processes: 1 })));
    const direct = watchDirect('lone');
    await using pool = new Pool({ context: cluster(bed.nc, { name: 'lone' }) });
    expect(await pool.apply(echo, [0])).toBe(0); // measured on a host: now known to be quick
    const before = await published('lone');
    for (let i = 1; i <= 20; i++) expect(await pool.apply(echo, [i])).toBe(i);
    // Each one, unless a call measured slow on a loaded machine (over 5 ms) sent the next through the queue.
    expect(direct()).toBeGreaterThanOrEqual(15);
    // One may still reach the queue as well: a host answering later than the caller waits (a cold worker on a
    // loaded machine). Its first answer counts either way.
    expect(await published('lone')).toBeLessThanOrEqual(before + 5);
    // Many in flight take the work queue again.
    const xs = Array.from({ length: 50 }, (_, i) => i);
    expect(await Promise.all(xs.map((x) => pool.apply(echo, [x])))).toEqual(xs);
    expect(await published('lone')).toBeGreaterThan(before);
  });

  it('awaited applies stay on the host that answered the last one; when it leaves, the next goes to another at once', async () => {
    await using a = new Pool({ processes: 1 });
    await using b = new Pool({ processes: 1 });
    const hosts = [await host(bed.nc, { name: 'sticky', pool: a, allow: ['/'], hostName: 'sticky-a' }), await host(bed.nc, { name: 'sticky', pool: b, allow: ['/'], hostName: 'sticky-b' })];
    const workers = [await a.apply(whichWorker, []), await b.apply(whichWorker, [])];
    const direct = watchDirect('sticky');
    await using pool = new Pool({ context: cluster(bed.nc, { name: 'sticky' }) });
    await untilDirect(pool, whichWorker, [], direct); // known to be quick
    const queuedBefore = await published('sticky');
    const ran: string[] = [];
    for (let i = 0; i < 20; i++) ran.push(await pool.apply(whichWorker, []));
    // Each call goes direct, to the host before, unless a loaded machine got in the way: a call measured slow
    // (over 5 ms) sends the next through JetStream, to either host; a direct request unanswered for a second is
    // queued there too, and the next direct one goes to either host, where the rest follow. So the host changes
    // at most twice per call queued (one more allowed). Quiet, nothing is queued: 20 calls sent at random would
    // change host at most once in 25,000 runs.
    const queued = (await published('sticky')) - queuedBefore;
    expect(queued, 'most calls went direct').toBeLessThanOrEqual(5);
    let changes = 0;
    for (let i = 1; i < ran.length; i++) if (ran[i] !== ran[i - 1]) changes++;
    expect(changes, ran.join(' ')).toBeLessThanOrEqual(2 * queued + 1);
    const onA = ran.filter((w) => w === workers[0]).length;
    const [left, stays] = onA > ran.length - onA ? [0, 1] : [1, 0];
    await hosts[left]!.close();
    // The next call that goes direct (one measured slow sends the next through JetStream) goes to the host that
    // left, gets "no responders" and goes to the queue group at once: two direct requests, none queued.
    let checked = false;
    for (let i = 0; i < 30 && !checked; i++) {
      const [sent, before] = [direct(), await published('sticky')];
      expect(await pool.apply(whichWorker, [])).toBe(workers[stays]);
      if (direct() === sent) continue;
      expect(direct()).toBe(sent + 2);
      expect(await published('sticky')).toBe(before);
      checked = true;
    }
    expect(checked, 'no call went by the direct path in 30').toBe(true);
    await hosts[stays]!.close();
  });

  it('a host that stalls holding one loses nothing: the caller queues it on JetStream and another host runs it', async () => {
    bed.hosts = await Promise.all(['a', 'b'].map((n) => startHost({ servers: bed.server.url, name: 'stalled', hostName: `stalled-${n}`, allow: ['/'], processes: 1, ackWait: 2000 })));
    const direct = watchDirect('stalled');
    await using pool = new Pool({ context: cluster(bed.nc, { name: 'stalled' }) });
    const done = join(bed.dir, 'done');
    await writeFile(done, '');
    await untilDirect(pool, freezeOnce, [done], direct); // known to be quick
    const sent = direct();
    expect(await pool.apply(freezeOnce, [join(bed.dir, 'first')])).toBe('ran');
    expect(direct()).toBe(sent + 1);
  }, 60_000);

  it('a busy host answers so at once, and the task waits in the work queue for a free slot', async () => {
    await using local = new Pool({ processes: 1 });
    await using h = await host(bed.nc, { name: 'busy', pool: local, allow: ['/'], concurrency: 1 });
    const other = await connect({ servers: bed.server.url });
    const direct = watchDirect('busy', other);
    try {
      await using first = new Pool({ context: cluster(bed.nc, { name: 'busy' }) });
      await using second = new Pool({ context: cluster(other, { name: 'busy' }) });
      await untilDirect(second, echo, [1], direct); // known to be quick
      const long = first.apply(slow, [2, 1500]); // takes the host's one slot
      for (let i = 0; i < 100 && h.stats().running === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(h.stats().running).toBe(1);
      const sent = direct();
      expect(await second.apply(echo, [3])).toBe(3);
      expect(direct()).toBe(sent + 1);
      expect(await long).toBe(2);
    } finally {
      await other.close();
    }
  });
});
