/**
 * Many applies in flight share batches (core batches quick tasks); a host runs a batch's applies as a few tasks
 * of its own pool, not one each, and every apply still gets its own value or error. A caller pool's
 * `maxTasksPerChild` on a cluster: the host workers that run its tasks are replaced after that many (a map chunk
 * counts as one task, as on one machine), while the host's own pool serves other callers as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Pool, RemoteError, task } from '@mp/node';
import { cluster, host } from '../src/index.ts';
import { startNats, type NatsServer } from './nats-server.ts';
import { startHost } from './hosts.ts';

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const echo = task<(x: number) => number>(tasksUrl, 'echo');
const evenOnly = task<(x: number) => number>(tasksUrl, 'evenOnly');
const bufferOf = task<(n: number) => ArrayBuffer>(tasksUrl, 'bufferOf');
const whichWorker = task<() => string>(tasksUrl, 'whichWorker');
const workerTag = task<(x?: unknown) => string>(tasksUrl, 'workerTag');

let server: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNats();
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

describe('applies in flight on a host', () => {
  it('run as a few tasks of the host pool, each apply with its own value or error', async () => {
    await using local = new Pool({ processes: 2 });
    await using h = await host(nc, { name: 'applies', pool: local, allow: ['/'], hostName: 'ap' });
    await using pool = new Pool({ context: cluster(nc, { name: 'applies' }) });
    // Measured on the host first: then known to be quick, and batched.
    expect(await pool.apply(echo, [0])).toBe(0);
    expect(await pool.apply(evenOnly, [0])).toBe(0);
    // What one apply alone (one pool task on the host) rejects with: each apply of a batch rejects the same way.
    const shape = (e: unknown): unknown => {
      const r = e as RemoteError & { host?: string; cause?: { name?: string; code?: number } };
      return { is: RemoteError.isInstance(r), remoteName: r.remoteName, message: r.message, host: r.host, causeName: r.cause?.name, code: r.cause?.code, stack: /odd: \d+\n/.test(r.remoteStack ?? '') };
    };
    const alone = shape(await pool.apply(evenOnly, [1]).catch((e: unknown) => e));
    expect(alone).toEqual({ is: true, remoteName: 'RangeError', message: 'odd: 1', host: 'ap', causeName: 'RangeError', code: 1, stack: true });
    const before = local.stats().completed;
    const xs = Array.from({ length: 2000 }, (_, i) => i);
    const got = await Promise.allSettled(xs.map((x) => (x % 3 === 0 ? pool.apply(evenOnly, [x]) : pool.apply(echo, [x]))));
    got.forEach((r, x) => {
      if (x % 3 === 0 && x % 2 === 1) {
        expect(r.status).toBe('rejected');
        expect(shape((r as PromiseRejectedResult).reason)).toEqual({ ...(alone as object), message: `odd: ${x}`, code: x });
      } else expect(r).toEqual({ status: 'fulfilled', value: x });
    });
    // One pool task per apply before; now a batch's applies share a few.
    expect(local.stats().completed - before).toBeLessThan(xs.length / 4);
    expect(h.stats().answered).toBeGreaterThan(0);
  });

  it('values marked by transfer() come back whole', async () => {
    await using local = new Pool({ processes: 2 });
    await using h = await host(nc, { name: 'applies-t', pool: local, allow: ['/'] });
    expect(h.name).toBe('applies-t');
    await using pool = new Pool({ context: cluster(nc, { name: 'applies-t' }) });
    expect(new Uint8Array(await pool.apply(bufferOf, [1]))).toEqual(new Uint8Array([1]));
    const ns = Array.from({ length: 200 }, (_, i) => (i % 7) + 1);
    const got = await Promise.all(ns.map((n) => pool.apply(bufferOf, [n])));
    got.forEach((buf, i) => expect(new Uint8Array(buf)).toEqual(new Uint8Array(ns[i]!).fill(ns[i]!)));
  });

  it("a host pool's maxTasksPerChild counts each apply: its workers are replaced after that many", async () => {
    await using local = new Pool({ processes: 2, maxTasksPerChild: 5 });
    await using h = await host(nc, { name: 'applies-m', pool: local, allow: ['/'] });
    expect(h.name).toBe('applies-m');
    await using pool = new Pool({ context: cluster(nc, { name: 'applies-m' }) });
    await pool.apply(echo, [0]);
    // 100 applies: at least 20 workers, each started on a loaded machine in up to a second (300 ran out of 60 s in CI).
    const ran = await Promise.all(Array.from({ length: 100 }, () => pool.apply(whichWorker, [])));
    const perWorker = new Map<string, number>();
    for (const w of ran) perWorker.set(w, (perWorker.get(w) ?? 0) + 1);
    expect(Math.max(...perWorker.values())).toBeLessThanOrEqual(5);
    expect(perWorker.size).toBeGreaterThanOrEqual(20);
  }, 120_000);

  it('mp-host --max-tasks-per-child sets it on the host pool (a Bun host, through the CLI)', async () => {
    const h = await startHost({ servers: server.url, name: 'applies-cli', hostName: 'cli-1', processes: 1, maxTasksPerChild: 4, allow: ['/'] }, 'bun');
    try {
      await using pool = new Pool({ context: cluster(nc, { name: 'applies-cli' }) });
      await pool.apply(echo, [0]);
      const ran = await Promise.all(Array.from({ length: 60 }, () => pool.apply(whichWorker, [])));
      const perWorker = new Map<string, number>();
      for (const w of ran) perWorker.set(w, (perWorker.get(w) ?? 0) + 1);
      expect(Math.max(...perWorker.values())).toBeLessThanOrEqual(4);
      expect(perWorker.size).toBeGreaterThanOrEqual(15);
    } finally {
      await h.stop();
    }
  }, 60_000);
});

/** How many tasks each worker ran. */
function counts(ran: string[]): number[] {
  const per = new Map<string, number>();
  for (const w of ran) per.set(w, (per.get(w) ?? 0) + 1);
  return [...per.values()];
}

describe("a caller pool's maxTasksPerChild on a cluster", () => {
  it('replaces the host workers that run its tasks after that many: applies, awaited applies, map chunks', async () => {
    await using local = new Pool({ processes: 2 });
    await using h = await host(nc, { name: 'mtpc', pool: local, allow: ['/'] });
    expect(h.name).toBe('mtpc');
    await using pool = new Pool({ processes: 2, maxTasksPerChild: 3, context: cluster(nc, { name: 'mtpc' }) });

    // Many in flight (they share batches): no worker ran more than 3.
    const many = await Promise.all(Array.from({ length: 30 }, () => pool.apply(workerTag, [])));
    expect(Math.max(...counts(many))).toBeLessThanOrEqual(3);
    expect(counts(many).length).toBeGreaterThanOrEqual(10);

    // One at a time, as Python's maxtasksperchild example does.
    const awaited: string[] = [];
    for (let i = 0; i < 9; i++) awaited.push(await pool.apply(workerTag, []));
    expect(Math.max(...counts(awaited))).toBeLessThanOrEqual(3);
    expect(counts(awaited).length).toBeGreaterThanOrEqual(3);

    // A chunk is one task: 24 items in chunks of 2 run on workers that each take at most 3 chunks (6 items).
    const mapped = await pool.map(workerTag, Array.from({ length: 24 }, (_, i) => i), { chunksize: 2 });
    for (let i = 0; i < 24; i += 2) expect(mapped[i + 1]).toBe(mapped[i]);
    expect(Math.max(...counts(mapped))).toBeLessThanOrEqual(6);
    expect(counts(mapped).length).toBeGreaterThanOrEqual(4);

    // Another caller without the option runs on the host's own workers, which stay.
    await using plain = new Pool({ context: cluster(nc, { name: 'mtpc' }) });
    const kept = await Promise.all(Array.from({ length: 30 }, () => plain.apply(workerTag, [])));
    expect(counts(kept).length).toBeLessThanOrEqual(2);
    expect(new Set(kept).size).toBeLessThanOrEqual(2);
    for (const w of kept) expect(many).not.toContain(w);
  }, 120_000);

  it('callers with six different values share a host: each holds (the host keeps four such pools, the oldest closed after its work)', async () => {
    await using local = new Pool({ processes: 2 });
    const h = await host(nc, { name: 'mtpc-six', pool: local, allow: ['/'] });
    const pools = [1, 2, 3, 4, 5, 6].map((n) => new Pool({ processes: 2, maxTasksPerChild: n, context: cluster(nc, { name: 'mtpc-six' }) }));
    try {
      const ran = await Promise.all(pools.map((p) => Promise.all(Array.from({ length: 12 }, () => p.apply(workerTag, [])))));
      ran.forEach((tags, k) => expect(Math.max(...counts(tags))).toBeLessThanOrEqual(k + 1));
    } finally {
      await Promise.all(pools.map((p) => p.terminate()));
      await h.close();
    }
  }, 120_000);

  it.each(['deno', 'bun'] as const)('a %s host (mp-host CLI) honours it too', async (runtime) => {
    const h = await startHost({ servers: server.url, name: `mtpc-${runtime}`, hostName: `mtpc-${runtime}`, processes: 1, allow: ['/'] }, runtime);
    try {
      await using pool = new Pool({ processes: 1, maxTasksPerChild: 2, context: cluster(nc, { name: `mtpc-${runtime}` }) });
      const awaited: string[] = [];
      for (let i = 0; i < 6; i++) awaited.push(await pool.apply(workerTag, []));
      expect(Math.max(...counts(awaited)), awaited.join(" ")).toBeLessThanOrEqual(2);
      expect(counts(awaited).length).toBeGreaterThanOrEqual(3);
    } finally {
      await h.stop();
    }
  }, 120_000);
});
