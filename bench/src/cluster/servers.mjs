/**
 * Real servers for the cluster benchmark and demo, on loopback, free ports, temporary stores: nats-server
 * (JetStream) and redis-server. Each `stop()` ends its server and removes its store.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findBinary(name, envVar, install) {
  const override = envVar && process.env[envVar];
  if (override && !existsSync(override)) throw new Error(`${envVar} is ${JSON.stringify(override)}, which does not exist: install ${name} with \`${install}\` or fix ${envVar}`);
  const candidates = [envVar && process.env[envVar], `/usr/sbin/${name}`, `/usr/bin/${name}`, `/usr/local/bin/${name}`];
  for (const dir of (process.env.PATH ?? '').split(':')) candidates.push(join(dir, name));
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error(`${name} was not found: install it with \`${install}\`${envVar ? ` or set ${envVar} to its path` : ''}`);
  return found;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function started(proc, ready, what) {
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 60 s:\n${log}`)), 60_000);
    const on = (c) => {
      log += c.toString();
      if (ready.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout.on('data', on);
    proc.stderr.on('data', on);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${log}`));
    });
  });
}

function stopper(proc, dir) {
  const exited = new Promise((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', resolve)));
  return async () => {
    proc.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
}

export async function startNats() {
  const bin = findBinary('nats-server', 'MP_NATS_SERVER', 'apt-get install nats-server');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mp-nats-bench-'));
  const proc = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  await started(proc, /Server is ready/, 'nats-server');
  return { url: `nats://127.0.0.1:${port}`, stop: stopper(proc, dir) };
}

export async function startRedis() {
  const bin = findBinary('redis-server', undefined, 'apt-get install redis-server');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mp-redis-bench-'));
  const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  await started(proc, /Ready to accept connections/, 'redis-server');
  return { port, stop: stopper(proc, dir) };
}

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(repo, 'packages/nats/dist/cli.js');

/** A host from the built mp-host CLI, on `runtime` (node, deno or bun). */
export async function startHost({ url, name, hostName, processes = 1, ackWait, runtime = 'node', allow = repo }) {
  const args = ['--servers', url, '--name', name, '--host-name', hostName, '--processes', String(processes), '--allow', allow, '--allow-source'];
  if (ackWait) args.push('--ack-wait', String(ackWait));
  // npm's deno shim runs the binary as a child of `node bin.cjs`: a SIGKILL to it would leave the host running.
  const realDeno = join(repo, 'node_modules/deno/deno');
  const bin = (n) => (n === 'deno' && existsSync(realDeno) ? realDeno : join(repo, 'node_modules/.bin', n));
  const [cmd, argv] =
    runtime === 'deno' ? [bin('deno'), ['run', '-A', cli, ...args]] : runtime === 'bun' ? [bin('bun'), [cli, ...args]] : [process.execPath, [cli, ...args]];
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  await started(proc, new RegExp(` as ${hostName} with `), `host ${hostName}`);
  const exited = new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', resolve)));
  return {
    name: hostName,
    proc,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * A bare NATS responder in a process of its own (as a host is): it answers every request on `subject` with its
 * data. The benchmark's baseline for one awaited round trip.
 */
export async function startEcho({ url, subject = 'mp-bench.echo' }) {
  const source = `
    import { connect } from '@nats-io/transport-node';
    const nc = await connect({ servers: ${JSON.stringify(url)} });
    nc.subscribe(${JSON.stringify(subject)}, { callback: (_e, m) => m.respond(m.data) });
    await nc.flush();
    console.log('echo ready');
    process.on('SIGTERM', () => nc.close().then(() => process.exit(0)));
  `;
  // Run from this directory, so '@nats-io/transport-node' resolves as it does for the benchmark itself.
  const proc = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
  await started(proc, /echo ready/, 'the NATS echo responder');
  const exited = new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', resolve)));
  return {
    subject,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}
