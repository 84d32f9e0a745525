/**
 * A 3-server NATS cluster with a replicated stream (3 replicas): one server killed mid-map loses nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Pool, task } from '@mp/node';
import { cluster } from '../src/index.ts';
import { startNatsCluster } from './nats-server.ts';
import { startHost, type HostProcess } from './hosts.ts';

const slow = task<(i: number, ms: number) => Promise<number>>(new URL('./fixtures/tasks.mjs', import.meta.url), 'slow');
let nats: Awaited<ReturnType<typeof startNatsCluster>> | undefined;
let hosts: HostProcess[] = [];
let nc: NatsConnection | undefined;

beforeAll(async () => {
  nats = await startNatsCluster();
  // The caller's own server is the first; hosts prefer the others, so killing the second moves a host.
  nc = await connect({ servers: nats.urls, noRandomize: true, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  hosts = await Promise.all(
    ['a', 'b'].map((n, i) =>
      startHost({ servers: [nats!.urls[1 + i]!, ...nats!.urls].join(','), name: 'c3', hostName: `c3-${n}`, allow: ['/'], processes: 2, ackWait: 2000, replicas: 3 }),
    ),
  );
});

afterAll(async () => {
  await nc?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await nats?.stop();
});

it('one server of three killed mid-map: the map finishes with every result in order', async () => {
  await using pool = new Pool({ processes: 8, context: cluster(nc!, { name: 'c3', replicas: 3 }) });
  const xs = Array.from({ length: 60 }, (_, i) => i);
  let killed = false;
  const results = await pool.starmap(slow, xs.map((i) => [i, 100] as [number, number]), {
    chunksize: 1,
    onProgress: (d) => {
      if (d === 10 && !killed) {
        killed = true;
        void nats!.servers[1]!.kill('SIGKILL');
      }
    },
  });
  expect(killed).toBe(true);
  expect(results).toEqual(xs);
}, 120_000);
