/** Starts hosts as separate processes (test/fixtures/host-main.ts through tsx) and ends them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNats, type NatsServer } from './nats-server.ts';

const main = fileURLToPath(new URL('./fixtures/host-main.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

export interface HostProcess {
  name: string;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  exited: Promise<void>;
}

export interface HostSettings {
  servers: string;
  name: string;
  hostName: string;
  processes?: number;
  maxTasksPerChild?: number;
  allow?: string[];
  allowSource?: boolean;
  ackWait?: number;
  replicas?: number;
  maxDeliver?: number;
  token?: string;
  user?: string;
  pass?: string;
}

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const bin = (name: string): string => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
// npm's deno package: its .bin shim runs `node bin.cjs`, which starts the binary as a child of its own, so a
// signal to the shim (a test's stop(), or a host killed mid-map) would not reach the host. Its install step puts
// the binary beside bin.cjs: start that.
const realDeno = fileURLToPath(new URL('../../../node_modules/deno/deno', import.meta.url));
const denoBin = (): string => (existsSync(realDeno) ? realDeno : bin('deno'));

/** The mp-host CLI's arguments for `settings`. */
function cliArgs(s: HostSettings): string[] {
  const args = ['--servers', s.servers, '--name', s.name, '--host-name', s.hostName, '--processes', String(s.processes ?? 2)];
  for (const root of s.allow ?? []) args.push('--allow', root);
  if (s.allowSource ?? true) args.push('--allow-source');
  if (s.ackWait) args.push('--ack-wait', String(s.ackWait));
  if (s.maxTasksPerChild) args.push('--max-tasks-per-child', String(s.maxTasksPerChild));
  if (s.token) args.push('--token', s.token);
  if (s.user) args.push('--user', s.user, '--pass', s.pass ?? '');
  return args;
}

/**
 * Starts a host: on Node through test/fixtures/host-main.ts (the library API), on Deno and Bun through the
 * mp-host CLI from source (`deno run -A`, `bun`), each with its own runtime's adapter.
 */
export async function startHost(settings: HostSettings, runtime: 'node' | 'deno' | 'bun' = 'node'): Promise<HostProcess> {
  const [command, args] =
    runtime === 'deno'
      ? [denoBin(), ['run', '-A', '--sloppy-imports', cli, ...cliArgs(settings)]]
      : runtime === 'bun'
        ? [bin('bun'), [cli, ...cliArgs(settings)]]
        : [process.execPath, ['--import', tsx, main]];
  const proc = spawn(command, args, {
    env: { ...process.env, MP_TEST_HOST: JSON.stringify(settings), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host ${settings.hostName} did not start within 30 s:\n${out}`)), 30_000);
    const check = (): void => {
      if (out.includes(`ready ${settings.hostName}`) || out.includes(` as ${settings.hostName} with `)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host ${settings.hostName} exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    name: settings.hostName,
    proc,
    output: () => out,
    exited,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGCONT');
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** What a test of `natsPerTest` works with; `hosts` are the host processes it started (stopped after it). */
export interface NatsTestBed {
  server: NatsServer;
  nc: NatsConnection;
  /** A temporary directory of the test's own. */
  dir: string;
  hosts: HostProcess[];
}

/**
 * For each test of the file: a fresh nats-server on a loopback port, a connection to it and a temporary
 * directory; after it, the test's hosts stopped, then the connection, the server and the directory.
 */
export function natsPerTest(dirPrefix: string): NatsTestBed {
  const bed = { hosts: [] as HostProcess[] } as NatsTestBed;
  beforeEach(async () => {
    bed.server = await startNats();
    bed.nc = await connect({ servers: bed.server.url });
    bed.dir = await mkdtemp(join(tmpdir(), dirPrefix));
  });
  afterEach(async () => {
    await bed.nc?.close();
    await Promise.all(bed.hosts.map((h) => h.stop()));
    bed.hosts = [];
    await bed.server?.stop();
    await rm(bed.dir, { recursive: true, force: true });
  });
  return bed;
}
