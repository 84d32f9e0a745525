import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Pool, task, RemoteError } from '@mp/node';
import { fixturesUrl } from '@mp/core/conformance';
import { cluster, host } from '../src/index.ts';
import { startNats, type NatsServer } from './nats-server.ts';
import { startHost, type HostProcess } from './hosts.ts';

let server: NatsServer;
let hosts: HostProcess[] = [];
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNats();
  hosts = await Promise.all(['a', 'b'].map((n) => startHost({ servers: server.url, name: 'basic', hostName: `host-${n}`, allowSource: true, allow: ['/'] })));
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  await nc?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await server?.stop();
});

describe('a pool on a cluster', () => {
  it('maps by value and by reference, in order, and reports hosts', async () => {
    const pool = new Pool({ context: cluster(nc, { name: 'basic' }) });
    try {
      expect(await pool.map((n: number) => n * 2, [1, 2, 3, 4, 5])).toEqual([2, 4, 6, 8, 10]);
      const squ = task(fixturesUrl, 'squ');
      const xs = Array.from({ length: 1000 }, (_, i) => i);
      expect(await pool.map(squ, xs, { chunksize: 10 })).toEqual(xs.map((x) => x * x));
      expect(await pool.apply((a: number, b: number) => a + b, [1, 2])).toBe(3);
      const stats = pool.stats();
      expect(stats.hosts?.length).toBeGreaterThanOrEqual(1);
      const err = await pool.apply(task(fixturesUrl, 'fail'), ['boom', { code: 7 }]).catch((e: unknown) => e);
      expect(RemoteError.isInstance(err)).toBe(true);
      expect((err as RemoteError).message).toBe('boom');
      expect((err as RemoteError & { host?: string }).host).toMatch(/^host-[ab]$/);
    } finally {
      await pool.terminate();
    }
  });
});

describe('many applies in flight', () => {
  it('travel together, several to a JetStream message, each with its own result', async () => {
    const jsm = await jetstreamManager(nc);
    const before = (await jsm.streams.info('MP_basic')).state.last_seq;
    await using pool = new Pool({ context: cluster(nc, { name: 'basic' }) });
    const squ = task<(n: number) => number>(fixturesUrl, 'squ');
    expect(await pool.apply(squ, [3])).toBe(9);
    const xs = Array.from({ length: 2000 }, (_, i) => i);
    expect(await Promise.all(xs.map((x) => pool.apply(squ, [x])))).toEqual(xs.map((x) => x * x));
    // A cheap function's cost is measured in the host's worker, not from the host's hand-off to it: applies
    // queued together are then batched as on one machine, instead of one message (and one JetStream ack) each.
    const messages = (await jsm.streams.info('MP_basic')).state.last_seq - before;
    expect(messages).toBeLessThan(xs.length / 4);
  });
});

describe('payloads', () => {
  it("task data over the server's max_payload fails that call at the caller, saying so; the pool goes on", async () => {
    await using pool = new Pool({ processes: 2, context: cluster(nc, { name: 'basic' }) });
    const squ = task<(x: unknown) => number>(fixturesUrl, 'squ');
    const big = 'x'.repeat(9 << 20); // the test server's max_payload is 8 MB
    for (const call of [() => pool.apply(squ, [big]), () => pool.map(squ, [1, big, 3], { chunksize: 1 })]) {
      const err = (await call().catch((e: unknown) => e)) as Error & { host?: string; cause?: unknown };
      // Raised here, not on a host: a RangeError (as the README says), no RemoteError, no host.
      expect(RemoteError.isInstance(err), String(err)).toBe(false);
      expect(err.host).toBeUndefined();
      expect(err).toBeInstanceOf(RangeError);
      expect(err.message).toMatch(/the task's data is \d+ bytes, more than the NATS server's max_payload \(8388608\)/);
    }
    expect(await pool.apply(squ, [3])).toBe(9);
  });
});

describe('bad input', () => {
  it('cluster() throws TypeError/RangeError naming the argument and the value; host() rejects, never throws', async () => {
    expect(() => cluster({} as never, { name: 'x' })).toThrow(/^nc must be a NatsConnection/);
    expect(() => cluster(nc, { name: 'a.b' })).toThrow(/^name must be 1–64 letters, digits, '_' or '-' .*got "a\.b" \(string\)$/);
    expect(() => cluster(nc, { name: 'x', processes: 0 })).toThrow(new RangeError('processes must be an integer >= 1, got 0'));
    // A misspelt option is named, as by every mp constructor.
    expect(() => cluster(nc, { name: 'x', proceses: 2 } as never)).toThrow(new TypeError('unknown option "proceses" for cluster(); the options are name, processes, replicas'));
    await expect(host(nc, { name: 'x', pool: {} as never, alow: ['/'] } as never)).rejects.toThrow(/^unknown option "alow" for host\(\); the options are name, pool, allow, /);
    // A number's text is not the number, and only undefined means the default.
    const thrown = (f: () => unknown): unknown => {
      try {
        f();
      } catch (error) {
        return error;
      }
      return 'nothing thrown';
    };
    expect(thrown(() => cluster(nc, { name: 'x', processes: '4' as never }))).toEqual(new TypeError('processes must be an integer >= 1, got "4" (string)'));
    expect(thrown(() => cluster(nc, { name: 'x', processes: null as never }))).toEqual(new TypeError('processes must be an integer >= 1, got null'));
    expect(thrown(() => cluster(nc, { name: 'x', replicas: '3' as never }))).toEqual(new TypeError('replicas must be an integer from 1 to 5, got "3" (string)'));
    expect(thrown(() => cluster(nc, { name: 'x', replicas: null as never }))).toEqual(new TypeError('replicas must be an integer from 1 to 5, got null'));
    expect(thrown(() => cluster(nc, { name: 'x', replicas: 6 }))).toEqual(new RangeError('replicas must be an integer from 1 to 5, got 6'));
    expect(() => new Pool({ context: { runtimeFor: () => null } as never })).toThrow(/^context\.runtimeFor\(\) must return a Runtime/);
    const p = host(nc, { name: 'x', pool: 'nope' as never });
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toThrow(/^pool must be a Pool/);
    await using local = new Pool({ processes: 1 });
    await expect(host(nc, { name: 'x', pool: local, ackWait: -5 })).rejects.toThrow(new RangeError('ackWait must be an integer >= 1, got -5'));
    // The same limits as cluster()'s.
    await expect(host(nc, { name: 'x', pool: local, replicas: 9 })).rejects.toThrow(new RangeError('replicas must be an integer from 1 to 5, got 9'));
    await expect(host(nc, { name: 'x', pool: local, maxDeliver: null as never })).rejects.toThrow(new TypeError('maxDeliver must be an integer >= 1, got null'));
    await expect(host(nc, { name: 'x', pool: local, allow: ['relative/path'] })).rejects.toThrow(/^allow\[0\] must be an absolute path or a file: URL, got "relative\/path"$/);
  });
});
