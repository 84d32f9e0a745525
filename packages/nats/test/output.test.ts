/**
 * What a remote Process target prints reaches the caller's own stdout and stderr, in order, before `join()`
 * resolves — and not the host's. The caller runs in its own process (test/fixtures/process-caller.ts), so the test
 * reads exactly what that program wrote; hosts of each runtime serve their own cluster name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { Pool } from '@mp/node';
import { cluster, host } from '../src/index.ts';
import { startNats, type NatsServer } from './nats-server.ts';
import { startHost, type HostProcess } from './hosts.ts';

const caller = fileURLToPath(new URL('./fixtures/process-caller.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');
const runtimes = ['node', 'deno', 'bun'] as const;

let server: NatsServer;
const hosts = new Map<string, HostProcess>();

beforeAll(async () => {
  server = await startNats();
  await Promise.all(
    runtimes.map(async (runtime) => {
      hosts.set(runtime, await startHost({ servers: server.url, name: `out-${runtime}`, hostName: `out-${runtime}`, allow: ['/'], processes: 2 }, runtime));
    }),
  );
});

afterAll(async () => {
  await Promise.all([...hosts.values()].map((h) => h.stop()));
  await server?.stop();
});

function runCaller(
  name: string,
  target: string,
  args: unknown[],
  onStdout?: (stdout: string) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', tsx, caller], {
      env: { ...process.env, MP_TEST_CALLER: JSON.stringify({ servers: server.url, name, target, args }), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout);
    });
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.each(runtimes)('a remote Process target on a %s host', (runtime) => {
  it("prints to the caller's stdout and stderr, in order, before join() resolves", async () => {
    const n = 40;
    const host = hosts.get(runtime)!;
    const before = host.output().length;
    const r = await runCaller(`out-${runtime}`, 'chatty', [n]);
    expect(r.code, r.stderr).toBe(0);
    const expected = [...Array.from({ length: n }, (_, i) => `line ${i + 1} of ${n}`), 'raw write', '{ last: true }', 'after join: exitCode 0', ''];
    expect(r.stdout).toBe(expected.join('\n'));
    expect(r.stderr).toBe('to stderr\nstderr after join\n');
    // Captured: the host's own output does not hold it.
    expect(host.output().slice(before)).not.toContain('line 1 of');
  });

  it('arrives while the target runs, not only when it ends', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mp-nats-live-'));
    try {
      const file = join(dir, `go-${runtime}`);
      // The target waits for this file, made only once its first line has reached the caller's stdout.
      const r = await runCaller(`out-${runtime}`, 'waitsForFile', [file], (stdout) => {
        if (stdout.includes('started') && !existsSync(file)) writeFileSync(file, '');
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`started, waiting for go-${runtime}\nsaw the file\nafter join: exitCode 0\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('a target that throws: what it printed first still arrives, then the caller sees exitCode 1', async () => {
    const r = await runCaller(`out-${runtime}`, 'chattyFail', []);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('before failing\nafter join: exitCode 1\n');
    // The warning, then the caller's own line (the error itself is the Process's, as with a local one, not printed).
    expect(r.stderr).toBe('a warning\nstderr after join\n');
  });
});

describe('a host whose pool is itself a cluster pool', () => {
  it("sends its Process targets' output all the same (at the end: a proxy cannot reach that pool's hosts)", async () => {
    const nc = await connect({ servers: server.url });
    try {
      await using inner = new Pool({ context: cluster(nc, { name: 'out-node' }) });
      await using h = await host(nc, { name: 'out-chain', pool: inner, allow: ['/'], hostName: 'chain' });
      expect(h.name).toBe('out-chain');
      const r = await runCaller('out-chain', 'chatty', [4]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(['line 1 of 4', 'line 2 of 4', 'line 3 of 4', 'line 4 of 4', 'raw write', '{ last: true }', 'after join: exitCode 0', ''].join('\n'));
      expect(r.stderr).toBe('to stderr\nstderr after join\n');
    } finally {
      await nc.close();
    }
  }, 90_000);
});
