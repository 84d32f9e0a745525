/**
 * Starts a real nats-server for a test: JetStream on, loopback only, a free port, a temporary store; `stop()`
 * ends it and removes the store. Without a nats-server binary the test FAILS, saying how to install one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function natsServerBinary(): string {
  const override = process.env.MP_NATS_SERVER;
  if (override) {
    if (existsSync(override)) return override;
    throw new Error(`MP_NATS_SERVER is ${JSON.stringify(override)}, which does not exist: point it at a nats-server binary, or unset it and \`apt-get install nats-server\``);
  }
  const candidates = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
  for (const path of process.env.PATH?.split(':') ?? []) candidates.push(join(path, 'nats-server'));
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error(
    'nats-server was not found (looked at MP_NATS_SERVER, /usr/sbin, /usr/bin, /usr/local/bin and PATH): ' +
      'install it with `apt-get install nats-server` (Debian/Ubuntu), or set MP_NATS_SERVER to its path',
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface NatsServer {
  url: string;
  port: number;
  dir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
  /** Ends the server process only (the store stays), for restart tests. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServerOptions {
  token?: string;
  user?: string;
  pass?: string;
  /** Extra lines of the config file (clustering). */
  config?: string;
  port?: number;
  dir?: string;
}

function waitForReady(proc: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 15 s:\n${log()}`)), 15_000);
    const check = (): void => {
      if (/Server is ready/.test(log())) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stderr?.on('data', check);
    proc.stdout?.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code} before it was ready:\n${log()}`));
    });
  });
}

export async function startNats(options: ServerOptions = {}): Promise<NatsServer> {
  const bin = natsServerBinary();
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'mp-nats-')));
  const lines = [`listen: 127.0.0.1:${port}`, 'max_payload: 8MB', `jetstream { store_dir: ${JSON.stringify(dir)} }`];
  if (options.token) lines.push(`authorization { token: ${JSON.stringify(options.token)} }`);
  if (options.user) lines.push(`authorization { user: ${JSON.stringify(options.user)}, password: ${JSON.stringify(options.pass ?? '')} }`);
  if (options.config) lines.push(options.config);
  const conf = join(dir, 'server.conf');
  await writeFile(conf, lines.join('\n'));
  let log = '';
  const proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (c: Buffer) => (log += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (log += c.toString()));
  await waitForReady(proc, () => log);
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    proc.kill(signal);
    await exited;
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    dir,
    proc,
    kill,
    async stop() {
      await kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Three servers clustered with JetStream (each its own store), for replicated streams. `stop()` ends all. */
export async function startNatsCluster(): Promise<{ servers: NatsServer[]; urls: string[]; stop(): Promise<void> }> {
  const ports = [await freePort(), await freePort(), await freePort()];
  const routes = [await freePort(), await freePort(), await freePort()];
  const servers = await Promise.all(
    ports.map((port, i) =>
      startNats({
        port,
        config: [
          `server_name: mp-n${i + 1}`,
          `cluster { name: mp-test, listen: 127.0.0.1:${routes[i]}, routes: [${routes.map((r) => `nats-route://127.0.0.1:${r}`).join(', ')}] }`,
        ].join('\n'),
      }),
    ),
  );
  return {
    servers,
    urls: servers.map((s) => s.url),
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}
