#!/usr/bin/env node
/**
 * `mp-host`: serves a cluster from a shell. Node and Bun run it as `npx mp-host …` / `bunx mp-host …`, Deno as
 * `deno run -A npm:@mp/nats/cli …`. The local pool comes from the adapter of the runtime it runs in (`@mp/node`,
 * `@mp/bun`, `@mp/deno`, whichever is installed beside it); the connection from `@nats-io/transport-node`.
 *
 * Exit codes: 0 after SIGINT/SIGTERM (running work finished and answered), 2 on bad arguments, 3 when the
 * NATS server cannot be reached or refuses the credentials.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { credsAuthenticator, type ConnectionOptions } from '@nats-io/nats-core';
import type { Pool, PoolOptions } from '@mp/core';
import { host } from './host.js';
import { checkName } from './names.js';
import { allowRoots } from './allow.js';

const USAGE = `usage: mp-host --servers nats://host:4222[,…] --name NAME [options]

  --servers URLS       NATS servers, comma-separated (required)
  --name NAME          the cluster to serve (required)
  --processes N        workers of the local pool (default: the CPU count)
  --context C          the local pool's context: thread or process (default: thread)
  --max-tasks-per-child N  replace a worker of the local pool after N tasks (each apply a caller sends is one)
  --allow PATH         a root under which task modules may load; repeat for more (default: the working directory)
  --allow-source       run functions sent by value too (default: refused)
  --host-name NAME     how callers see this host (default: hostname:pid); tasks read it as MP_HOST_NAME
  --ack-wait MS        ms before unacknowledged work goes to another host (default: 30000)
  --user U --pass P    NATS user and password
  --token T            NATS token
  --creds FILE         NATS credentials file (JWT + NKey)
  --tlsca FILE         CA certificate to verify the server's TLS certificate`;

type Flags = Record<string, string | boolean | string[] | undefined>;

function fail(message: string, code: number): never {
  process.stderr.write(`mp-host: ${message}\n`);
  process.exit(code);
}

function int(flags: Flags, name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) fail(`--${name} must be an integer >= 1, got ${JSON.stringify(v)}\n${USAGE}`, 2);
  return n;
}

/**
 * Whether `server` reads as a NATS server address: a URL (nats://, tls://, ws://, wss://) or host[:port], as the
 * NATS client reads it (it drops the scheme and parses the rest as a URL's host).
 */
function isServerUrl(server: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(server);
  if (m && !['nats', 'tls', 'ws', 'wss'].includes(m[1]!.toLowerCase())) return false;
  const rest = m ? m[2]! : server;
  // A bare IPv6 address the client puts in brackets itself.
  for (const hostPort of rest.includes('[') || (rest.match(/:/g)?.length ?? 0) < 2 ? [rest] : [rest, `[${rest}]`]) {
    try {
      if (new URL(`nats://${hostPort}`).hostname !== '') return true;
    } catch {
      // not this way
    }
  }
  return false;
}

/** The adapter of the runtime this runs in; the runtime is the user's choice of command (node, bun, deno). */
async function localPool(options: PoolOptions): Promise<Pool> {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  const adapter = g.Deno ? '@mp/deno' : g.Bun ? '@mp/bun' : '@mp/node';
  let mod: { Pool: new (o?: PoolOptions) => Pool };
  try {
    mod = (await import(adapter)) as typeof mod;
  } catch (error) {
    fail(`this runtime's adapter ${adapter} could not be loaded (${String(error)}): install it beside @mp/nats`, 2);
  }
  return new mod.Pool(options);
}

/** Runs `mp-host` with command-line arguments `argv` (without the runtime and script): connects, serves, and ends on SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  let flags: Flags;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        servers: { type: 'string' },
        name: { type: 'string' },
        processes: { type: 'string' },
        context: { type: 'string' },
        'max-tasks-per-child': { type: 'string' },
        allow: { type: 'string', multiple: true },
        'allow-source': { type: 'boolean' },
        'host-name': { type: 'string' },
        'ack-wait': { type: 'string' },
        user: { type: 'string' },
        pass: { type: 'string' },
        token: { type: 'string' },
        creds: { type: 'string' },
        tlsca: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const servers = typeof flags.servers === 'string' ? flags.servers.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (servers.length === 0) fail(`--servers is required\n${USAGE}`, 2);
  for (const server of servers) {
    if (!isServerUrl(server)) fail(`--servers must be NATS server URLs such as nats://10.0.0.5:4222, got ${JSON.stringify(server)}\n${USAGE}`, 2);
  }
  if (typeof flags.name !== 'string') fail(`--name is required\n${USAGE}`, 2);
  // Arguments are checked before connecting: a bad one is exit code 2, whatever the server would say.
  try {
    checkName(flags.name);
    if (Array.isArray(flags.allow)) allowRoots(flags.allow, process.cwd());
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const processes = int(flags, 'processes');
  const ackWait = int(flags, 'ack-wait');
  const maxTasksPerChild = int(flags, 'max-tasks-per-child');
  const options: ConnectionOptions = { servers, name: `mp-host ${flags.name}`, maxReconnectAttempts: -1 };
  if (typeof flags.user === 'string') {
    options.user = flags.user;
    options.pass = typeof flags.pass === 'string' ? flags.pass : '';
  }
  if (typeof flags.token === 'string') options.token = flags.token;
  try {
    if (typeof flags.creds === 'string') options.authenticator = credsAuthenticator(readFileSync(flags.creds));
    if (typeof flags.tlsca === 'string') options.tls = { caFile: flags.tlsca };
  } catch (error) {
    fail(`could not read ${typeof flags.creds === 'string' ? flags.creds : String(flags.tlsca)}: ${(error as Error).message}`, 2);
  }

  let nc;
  try {
    nc = await connect(options);
  } catch (error) {
    const e = error as Error;
    const auth = /author|auth|credential|password|token/i.test(`${e.name} ${e.message}`);
    fail(
      `could not connect to ${servers.join(', ')}: ${e.message}` +
        (auth ? ' — the server refused the credentials (check --user/--pass, --token or --creds)' : ' — is a nats-server with JetStream (-js) running there?'),
      3,
    );
  }
  // The host's name, for the code it runs (its workers inherit the environment): MP_HOST_NAME.
  const hostName = typeof flags['host-name'] === 'string' ? flags['host-name'] : undefined;
  if (hostName !== undefined) process.env.MP_HOST_NAME = hostName;
  const poolOptions: PoolOptions = {};
  if (processes !== undefined) poolOptions.processes = processes;
  if (typeof flags.context === 'string') poolOptions.context = flags.context;
  if (maxTasksPerChild !== undefined) poolOptions.maxTasksPerChild = maxTasksPerChild;
  let pool: Pool;
  try {
    pool = await localPool(poolOptions);
  } catch (error) {
    fail((error as Error).message, 2);
  }
  let served;
  try {
    served = await host(nc, {
      name: flags.name,
      pool,
      allowSource: flags['allow-source'] === true,
      ...(Array.isArray(flags.allow) ? { allow: flags.allow } : {}),
      ...(hostName !== undefined ? { hostName } : {}),
      ...(ackWait !== undefined ? { ackWait } : {}),
    });
  } catch (error) {
    await pool.terminate();
    await nc.close();
    const e = error as Error;
    fail(`could not serve cluster '${flags.name}': ${e.message}`, e instanceof TypeError || e instanceof RangeError ? 2 : 3);
  }
  const h = served;
  process.stdout.write(
    `mp-host: serving cluster '${h.name}' as ${h.hostName} with ${pool.stats().workers} workers ` +
      `(allow source: ${flags['allow-source'] === true ? 'yes' : 'no'})\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await h.close();
      await pool.terminate();
      await nc.close();
      process.stdout.write('mp-host: stopped\n');
      process.exit(0);
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void nc.closed().then((error) => {
    if (!stopping) fail(`the NATS connection closed${error ? `: ${error.message}` : ''}`, 3);
  });
}

await main(process.argv.slice(2));
