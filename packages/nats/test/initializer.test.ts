/**
 * A cluster pool's `initializer`: it runs once in each host worker that runs the pool's tasks, before the first of
 * them there, with `initargs`; another pool's initializer runs again in the same workers; one that throws breaks
 * the pool with a RemoteError naming the host. (The allow rules for it are in security.test.ts; the conformance
 * suite's initializer tests run against a cluster of Node, Deno and Bun hosts in conformance.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Pool, RemoteError, task } from '@mp/node';
import { cluster } from '../src/index.ts';
import { startNats, type NatsServer } from './nats-server.ts';
import { startHost, type HostProcess } from './hosts.ts';

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const initCount = task(tasksUrl, 'initCount');
const initTag = task<(x: number) => string>(tasksUrl, 'initTag');

let server: NatsServer;
let hosts: HostProcess[] = [];
let nc: NatsConnection;
let dir: string;

beforeAll(async () => {
  server = await startNats();
  dir = await mkdtemp(join(tmpdir(), 'mp-nats-init-'));
  hosts = await Promise.all(['a', 'b'].map((n) => startHost({ servers: server.url, name: 'init', hostName: `init-${n}`, allow: ['/'], processes: 2 })));
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  await nc?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function runs(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

describe('initializer on a cluster pool', () => {
  it('runs once in each host worker before its tasks there, with initargs; a second pool runs its own', async () => {
    const file = join(dir, 'runs.txt');
    const xs = Array.from({ length: 60 }, (_, i) => i);
    {
      await using pool = new Pool({ processes: 6, context: cluster(nc, { name: 'init' }), initializer: initCount, initargs: [file, 'one'] });
      expect(await pool.map(initTag, xs, { chunksize: 1 })).toEqual(xs.map((x) => `one:${x}`));
      expect(await pool.apply(initTag, [99])).toBe('one:99');
    }
    const first = await runs(file);
    // Once per host worker (2 hosts × 2 workers at most), never twice in one.
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(first.length).toBeLessThanOrEqual(4);
    expect(first.every((l) => l.endsWith(':first'))).toBe(true);
    expect(new Set(first.map((l) => l.split(':')[0])).size).toBe(first.length);

    // Another pool of the same caller, with other initargs: its initializer runs again in those workers.
    await using pool = new Pool({ processes: 6, context: cluster(nc, { name: 'init' }), initializer: initCount, initargs: [file, 'two'] });
    expect(await pool.map(initTag, xs, { chunksize: 1 })).toEqual(xs.map((x) => `two:${x}`));
    const second = (await runs(file)).slice(first.length);
    expect(second.length).toBeGreaterThanOrEqual(1);
    expect(second.length).toBeLessThanOrEqual(4);
    expect(new Set(second.map((l) => l.split(':')[0])).size).toBe(second.length);
  });

  it('an initializer that throws breaks the pool with a RemoteError naming the host', async () => {
    const pool = new Pool({ processes: 2, context: cluster(nc, { name: 'init' }), initializer: task(tasksUrl, 'initFails') });
    try {
      const err = await pool.apply(initTag, [1]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(RemoteError.isInstance(err)).toBe(true);
      expect((err as Error).message).toMatch(/^the pool's initializer failed: on host init-[ab]: init broke on purpose$/);
      // Broken, as a local pool whose initializer throws: later calls fail too.
      await expect(pool.map(initTag, [1, 2])).rejects.toThrow(/initializer failed/);
    } finally {
      await pool.terminate();
    }
  });
});
