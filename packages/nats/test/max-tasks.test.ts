/**
 * A caller pool's `maxTasksPerChild` on a cluster: the host workers that run its tasks are replaced after that many
 * (a map chunk counts as one task, as on one machine), while the host's own pool serves other callers as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Pool, task } from '@mp/node';
import { cluster, host } from '../src/index.ts';
import { startNats, type NatsServer } from './nats-server.ts';
import { startHost } from './hosts.ts';

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const whichWorker = task<(x?: unknown) => string>(tasksUrl, 'workerTag');

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
    const many = await Promise.all(Array.from({ length: 30 }, () => pool.apply(whichWorker, [])));
    expect(Math.max(...counts(many))).toBeLessThanOrEqual(3);
    expect(counts(many).length).toBeGreaterThanOrEqual(10);

    // One at a time, as Python's maxtasksperchild example does.
    const awaited: string[] = [];
    for (let i = 0; i < 9; i++) awaited.push(await pool.apply(whichWorker, []));
    expect(Math.max(...counts(awaited))).toBeLessThanOrEqual(3);
    expect(counts(awaited).length).toBeGreaterThanOrEqual(3);

    // A chunk is one task: 24 items in chunks of 2 run on workers that each take at most 3 chunks (6 items).
    const mapped = await pool.map(whichWorker, Array.from({ length: 24 }, (_, i) => i), { chunksize: 2 });
    for (let i = 0; i < 24; i += 2) expect(mapped[i + 1]).toBe(mapped[i]);
    expect(Math.max(...counts(mapped))).toBeLessThanOrEqual(6);
    expect(counts(mapped).length).toBeGreaterThanOrEqual(4);

    // Another caller without the option runs on the host's own workers, which stay.
    await using plain = new Pool({ context: cluster(nc, { name: 'mtpc' }) });
    const kept = await Promise.all(Array.from({ length: 30 }, () => plain.apply(whichWorker, [])));
    expect(counts(kept).length).toBeLessThanOrEqual(2);
    expect(new Set(kept).size).toBeLessThanOrEqual(2);
    for (const w of kept) expect(many).not.toContain(w);
  }, 120_000);

  it('a Deno host (mp-host CLI) honours it too', async () => {
    const h = await startHost({ servers: server.url, name: 'mtpc-deno', hostName: 'mtpc-d', processes: 1, allow: ['/'] }, 'deno');
    try {
      await using pool = new Pool({ processes: 1, maxTasksPerChild: 2, context: cluster(nc, { name: 'mtpc-deno' }) });
      const awaited: string[] = [];
      for (let i = 0; i < 6; i++) awaited.push(await pool.apply(whichWorker, []));
      expect(Math.max(...counts(awaited)), awaited.join(" ")).toBeLessThanOrEqual(2);
      expect(counts(awaited).length).toBeGreaterThanOrEqual(3);
    } finally {
      await h.stop();
    }
  }, 120_000);
});
