/**
 * The conformance suite (the part that needs no shared memory) against a cluster of three hosts in their own
 * processes — a Node host, a Deno host and a Bun host — and a caller here with @mp/node's Pool and Process.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as api from '@mp/node';
import { runConformance } from '@mp/core/conformance';
import { cluster, type ClusterContext } from '../src/index.ts';
import { startNats, type NatsServer } from './nats-server.ts';
import { startHost, type HostProcess } from './hosts.ts';

let server: NatsServer | undefined;
let hosts: HostProcess[] = [];
let nc: NatsConnection | undefined;

/** The context object exists before the connection does; its runtime is asked for only when a Pool is made. */
const context: ClusterContext = {
  name: 'conformance',
  hosts: () => ctx().hosts(),
  runtimeFor: (adapter) => ctx().runtimeFor(adapter),
  close: () => ctx().close(),
};
let made: ClusterContext | undefined;
function ctx(): ClusterContext {
  if (!nc) throw new Error('the NATS connection is not up');
  return (made ??= cluster(nc, { name: 'conformance' }));
}

beforeAll(async () => {
  server = await startNats();
  // One host per runtime, in one cluster.
  hosts = await Promise.all(
    (['node', 'deno', 'bun'] as const).map((runtime) =>
      startHost({ servers: server!.url, name: 'conformance', hostName: `conf-${runtime}`, allowSource: true, allow: ['/'], processes: 2 }, runtime),
    ),
  );
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  // Every runtime's host took part.
  const seen = made?.hosts() ?? [];
  await made?.close();
  await nc?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await server?.stop();
  if (!['conf-bun', 'conf-deno', 'conf-node'].every((h) => seen.includes(h))) throw new Error(`not every host ran work: ${seen.join(', ')}`);
});

runConformance({
  runtime: 'node',
  context,
  api,
  features: { resourceLimits: false, transferMoves: false, sharedMemory: false, remoteWorkers: true },
  suites: ['process', 'pool', 'fault', 'input'],
  exclude: {
    'maxTasksPerChild replaces a worker after that many tasks':
      "the test wants exactly 3 workers for 6 awaited tasks: on a cluster an awaited task may run on another host (the first, not yet measured, goes through the work queue), so 4 can appear (4 of 11 runs); applies.test.ts checks that no host worker runs more than maxTasksPerChild of a caller pool's tasks",
    'name, daemon and currentProcess()/parentProcess() inside the child':
      'the test reads what the child saw through a Manager proxy, which cannot cross machines (the caller, name and exit code of a remote Process are checked by the other Process tests)',
    'a child reports its own name and its parent to the code it runs':
      "on a cluster a task's parent is the host process that runs it, not the caller, so parent.pid cannot equal the caller's pid",
    'timeout stops a runaway synchronous task; the pool goes on':
      "the test counts the stopped task's side effects in Manager proxies, which cannot cross machines (faults.test.ts checks that a timeout stops remote work)",
    'signal aborts a map promptly: queued work dropped, running work stopped':
      "the test counts started and finished items in Manager proxies, which cannot cross machines (faults.test.ts checks that an abort stops remote work)",
  },
  describe,
  // Inside a full CI run on 2 cores a cluster round trip is slow (800 awaited tasks in one test): 180 s at the least.
  it: (name, body, timeout) => it(name, body, Math.max(timeout ?? 0, 180_000)),
  skip: (name, reason) => it.skip(`${name} — skipped: ${reason}`, () => {}),
});
