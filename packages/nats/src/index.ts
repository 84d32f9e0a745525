/**
 * `@mp/nats`: one `Pool` across many machines, over NATS JetStream. `cluster()` is a context for the `Pool` and
 * `Process` of any adapter; `host()` serves a cluster with a local pool.
 *
 * @example
 * import { connect } from '@nats-io/transport-node';
 * import { Pool } from '@mp/node';
 * import { cluster } from '@mp/nats';
 * const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
 * await using pool = new Pool({ context: cluster(nc, { name: 'render' }) });
 */
export { cluster } from './cluster.js';
export type { ClusterContext, ClusterOptions } from './cluster.js';
export { host } from './host.js';
export type { Host, HostOptions, HostStats } from './host.js';
