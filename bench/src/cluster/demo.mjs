/**
 * `pnpm demo:cluster`: a local nats-server and three hosts (Node, Deno, Bun, through `mp-host`), then the seed's
 * Q5 and a longer map across them, showing which host ran what; one host is killed midway and the map still
 * finishes with every result, in order.
 */
import { connect } from '@nats-io/transport-node';
import { Pool, task } from '@mp/node';
import { cluster } from '@mp/nats';
import { startHost, startNats } from './servers.mjs';

let nats;
try {
  nats = await startNats();
} catch (error) {
  console.error(`demo:cluster needs nats-server: ${error.message}`);
  process.exit(1);
}
const hosts = [];
let nc;
try {
  console.log(`nats-server with JetStream at ${nats.url}`);
  for (const runtime of ['node', 'deno', 'bun']) {
    hosts.push(await startHost({ url: nats.url, name: 'demo', hostName: `${runtime}-host`, processes: 2, ackWait: 3000, runtime }));
    console.log(`  ${runtime}-host is serving cluster 'demo' (mp-host, 2 workers)`);
  }
  nc = await connect({ servers: nats.url });
  const context = cluster(nc, { name: 'demo' });

  console.log('\nQ5. Pool.map on the cluster: the squares of [2, 4, 6, 8, 9]');
  {
    const pool = new Pool({ processes: 4, context });
    const squares = await pool.map((n) => n ** 2, [2, 4, 6, 8, 9]);
    console.log(`[${squares.join(', ')}]`);
    await pool.terminate();
  }

  console.log('\nA longer map: 60 tasks of 100 ms each; bun-host is killed (SIGKILL) after 15 results');
  const pool = new Pool({ processes: 12, context });
  const started = performance.now();
  let killedAt;
  const results = await pool.map(task(new URL('./tasks.mjs', import.meta.url), 'whoRuns'), Array.from({ length: 60 }, (_, i) => i), {
    chunksize: 1,
    onProgress: (done, total) => {
      if (done === 15 && !killedAt) {
        killedAt = performance.now();
        hosts[2].proc.kill('SIGKILL');
        console.log(`  ${done}/${total} done: killed bun-host; its unfinished tasks go to the others after the ack wait (3 s)`);
      }
    },
  });
  const ms = performance.now() - started;
  const inOrder = results.every((r, i) => r.i === i);
  const counts = new Map();
  for (const r of results) counts.set(r.host, (counts.get(r.host) ?? 0) + 1);
  console.log(`  ${results.length} results, ${inOrder ? 'every one in input order' : 'OUT OF ORDER'}, in ${(ms / 1000).toFixed(1)} s (${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill)`);
  console.log(`  ran on: ${[...counts].map(([h, n]) => `${h} ${n}`).join(', ')}`);
  console.log(`  pool.stats().hosts: ${pool.stats().hosts.join(', ')}`);
  console.log(`  row by row: ${results.map((r) => r.host[0]).join('')}  (n = node, d = deno, b = bun)`);
  await pool.terminate();
} finally {
  await nc?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await nats.stop();
}
process.exit(0);
