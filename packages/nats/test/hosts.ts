/** Starts hosts as separate processes (test/fixtures/host-main.ts through tsx) and ends them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

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
  allow?: string[];
  allowSource?: boolean;
  ackWait?: number;
  replicas?: number;
  token?: string;
  user?: string;
  pass?: string;
}

export async function startHost(settings: HostSettings): Promise<HostProcess> {
  const proc = spawn(process.execPath, ['--import', tsx, main], {
    env: { ...process.env, MP_TEST_HOST: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host ${settings.hostName} did not start within 30 s:\n${out}`)), 30_000);
    const check = (): void => {
      if (out.includes(`ready ${settings.hostName}`)) {
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
