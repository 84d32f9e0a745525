/**
 * What a host refuses, and what nothing on mp's subjects can do: the allow rules (module roots, functions by
 * value), wrong credentials, garbage and forged messages, shared-memory objects sent to a cluster.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Lock, Pool, Process, RemoteError, task } from '@mp/node';
import { deserialize, serialize } from '@mp/core/wire';
import { fixturesUrl } from '@mp/core/conformance';
import { cluster, host } from '../src/index.ts';
import { freePort, startNats, type NatsServer } from './nats-server.ts';
import { startHost, type HostProcess } from './hosts.ts';

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

let server: NatsServer;
let guarded: HostProcess | undefined;
let nc: NatsConnection;
let dir: string;

beforeAll(async () => {
  server = await startNats({ user: 'mp', pass: 's3cret' });
  dir = await mkdtemp(join(tmpdir(), 'mp-nats-sec-'));
  // This host allows only test/fixtures/ and refuses functions by value.
  guarded = await startHost({ servers: server.url, name: 'sec', hostName: 'guarded', allow: [fixturesDir], allowSource: false, user: 'mp', pass: 's3cret' });
  nc = await connect({ servers: server.url, user: 'mp', pass: 's3cret' });
});

afterAll(async () => {
  await nc?.close();
  await guarded?.stop();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', tsx, cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('allow rules', () => {
  it('a module under the allow roots runs; one outside is refused, naming the host and the rule', async () => {
    await using pool = new Pool({ processes: 2, context: cluster(nc, { name: 'sec' }) });
    expect(await pool.apply(task(tasksUrl, 'slow'), [5, 1])).toBe(5);
    const outside = await pool.apply(task(fixturesUrl, 'squ'), [3]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(RemoteError.isInstance(outside)).toBe(true);
    expect((outside as Error).message).toMatch(/^host guarded refuses module file:\/\/.*fixtures\.js: not under its allow roots \(.*test\/fixtures\/\)/);
  });

  it('a symbolic link under the roots to a module outside them is refused; a root that is itself a link works', async () => {
    const root = join(dir, 'app');
    const outside = join(dir, 'other');
    await mkdir(root);
    await mkdir(outside);
    const code = "export function bad() { return 'ran'; }\n";
    await writeFile(join(root, 'inside.mjs'), code);
    await writeFile(join(outside, 'evil.mjs'), code);
    await symlink(join(outside, 'evil.mjs'), join(root, 'link.mjs'));
    await symlink(outside, join(root, 'linkdir'));
    await symlink(root, join(dir, 'app-link'));
    await using local = new Pool({ processes: 1 });
    await using h = await host(nc, { name: 'sec-link', pool: local, allow: [root, join(dir, 'app-link')], hostName: 'linked' });
    await using pool = new Pool({ processes: 1, context: cluster(nc, { name: 'sec-link' }) });
    const bad = (path: string): Promise<unknown> => pool.apply(task(pathToFileURL(path), 'bad'), []).catch((e: unknown) => e);
    expect(await bad(join(root, 'inside.mjs'))).toBe('ran');
    expect(await bad(join(dir, 'app-link', 'inside.mjs'))).toBe('ran');
    for (const path of [join(root, 'link.mjs'), join(root, 'linkdir', 'evil.mjs'), join(dir, 'app-link', 'link.mjs')]) {
      const err = await bad(path);
      expect(RemoteError.isInstance(err), `${path}: ${String(err)}`).toBe(true);
      expect((err as Error).message).toMatch(/^host linked refuses module file:\/\/.*: its real path .*\/other\/evil\.mjs \(through a symbolic link\) is not under its allow roots/);
    }
    // A module not there when first asked for is checked again once it is (here: as a link leading out).
    expect(String(await bad(join(root, 'later.mjs')))).toMatch(/later\.mjs/);
    await symlink(join(outside, 'evil.mjs'), join(root, 'later.mjs'));
    expect(String(await bad(join(root, 'later.mjs')))).toMatch(/its real path .*\/other\/evil\.mjs \(through a symbolic link\)/);
    expect(h.stats().refused).toBe(4);
  });

  it('a function sent by value is refused without allowSource, and never runs', async () => {
    const file = join(dir, 'by-value.txt');
    await using pool = new Pool({ processes: 2, context: cluster(nc, { name: 'sec' }) });
    const err = await pool
      .map(
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (f: string) => (require('node:fs') as typeof import('node:fs')).appendFileSync(f, 'ran\n'),
        [file],
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((err as Error).message).toMatch(/^host guarded refuses functions sent by value \(allowSource is false\)/);
    expect(await readFile(file, 'utf8').catch(() => 'absent')).toBe('absent');
  });

  it('a Process target outside the roots ends with exitCode 1 and the refusal as its error', async () => {
    const p = new Process({ target: task(fixturesUrl, 'squ'), args: [2], context: cluster(nc, { name: 'sec' }) });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(1);
    expect(p.error?.message).toMatch(/^host guarded refuses module/);
  });

  it("a pool's initializer follows the same rules: by value or outside the roots, the pool breaks naming the host and the rule, and it never runs", async () => {
    const file = join(dir, 'init-by-value.txt');
    const byValue = new Pool({
      processes: 1,
      context: cluster(nc, { name: 'sec' }),
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      initializer: (f: string) => (require('node:fs') as typeof import('node:fs')).appendFileSync(f, 'ran\n'),
      initargs: [file],
    });
    try {
      const err = await byValue.apply(task(tasksUrl, 'slow'), [1, 1]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(RemoteError.isInstance(err)).toBe(true);
      expect((err as Error).message).toMatch(/^the pool's initializer failed: on host guarded: host guarded refuses functions sent by value \(allowSource is false\)/);
    } finally {
      await byValue.terminate();
    }
    expect(await readFile(file, 'utf8').catch(() => 'absent')).toBe('absent');

    const outside = new Pool({ processes: 1, context: cluster(nc, { name: 'sec' }), initializer: task(fixturesUrl, 'squ'), initargs: [2] });
    try {
      const err = await outside.apply(task(tasksUrl, 'slow'), [1, 1]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(RemoteError.isInstance(err)).toBe(true);
      expect((err as Error).message).toMatch(/^the pool's initializer failed: on host guarded: host guarded refuses module file:\/\/.*fixtures\.js: not under its allow roots/);
    } finally {
      await outside.terminate();
    }

    // An initializer under the roots runs, and the pool works.
    const file2 = join(dir, 'init-allowed.txt');
    await using allowed = new Pool({ processes: 1, context: cluster(nc, { name: 'sec' }), initializer: task(tasksUrl, 'initCount'), initargs: [file2, 'ok'] });
    expect(await allowed.apply(task(tasksUrl, 'initTag'), [1])).toBe('ok:1');
    expect((await readFile(file2, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('shared-memory objects are refused at the call site, naming the cluster context', async () => {
    await using pool = new Pool({ processes: 1, context: cluster(nc, { name: 'sec' }) });
    const lock = new Lock();
    const err = await Promise.resolve()
      .then(() => pool.apply(task(tasksUrl, 'slow'), [lock as never, 1]))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/args\[0\] is a Lock.*context 'cluster:sec' of NATS/);
  });
});

describe('credentials', () => {
  it('mp-host with a wrong password fails to start with a clear error (exit code 3)', async () => {
    const { code, out } = await runCli(['--servers', server.url, '--name', 'sec', '--user', 'mp', '--pass', 'wrong']);
    expect(code).toBe(3);
    expect(out).toMatch(/mp-host: could not connect to nats:\/\/127\.0\.0\.1:\d+: .*the server refused the credentials/);
  });

  it('mp-host with a token on a user/password server fails the same way; a caller with wrong credentials is refused by connect()', async () => {
    const { code, out } = await runCli(['--servers', server.url, '--name', 'sec', '--token', 'nope']);
    expect(code).toBe(3);
    expect(out).toMatch(/refused the credentials/);
    await expect(connect({ servers: server.url, user: 'mp', pass: 'bad', reconnect: false })).rejects.toThrow(/Authorization Violation/i);
  });

  it('mp-host with bad arguments says what is wrong (exit code 2)', async () => {
    const { code, out } = await runCli(['--servers', server.url]);
    expect(code).toBe(2);
    expect(out).toMatch(/--name is required/);
    // Checked before connecting: no server listens at `nowhere`, and these are still bad arguments, not exit code 3.
    const nowhere = `nats://127.0.0.1:${await freePort()}`;
    const badName = await runCli(['--servers', nowhere, '--name', 'a.b']);
    expect(badName.code, badName.out).toBe(2);
    expect(badName.out).toMatch(/^mp-host: name must be 1–64 letters, digits, '_' or '-' .*got "a\.b" \(string\)/);
    const badUrl = await runCli(['--servers', 'not a url', '--name', 'sec']);
    expect(badUrl.code, badUrl.out).toBe(2);
    expect(badUrl.out).toMatch(/^mp-host: --servers must be NATS server URLs such as nats:\/\/10\.0\.0\.5:4222, got "not a url"/);
  });
});

describe('NATS permissions', () => {
  it("a caller or host the server refuses subjects to fails saying so, and mp's callbacks throw nothing into the client", async () => {
    const limited = await startNats({
      config: [
        'authorization { users = [',
        '  { user: bob, password: pw, permissions: { publish: ["foo.>"], subscribe: ["foo.>", "_INBOX.>"] } }',
        '  { user: carol, password: pw, permissions: { publish: ["$JS.API.>", "mp.>", "_INBOX.>"], subscribe: ["_INBOX.>"] } }',
        '] }',
      ].join('\n'),
    });
    const bob = await connect({ servers: limited.url, user: 'bob', pass: 'pw' });
    const carol = await connect({ servers: limited.url, user: 'carol', pass: 'pw' });
    try {
      // A caller that may neither subscribe to mp's subjects nor use JetStream: its call fails at once, naming
      // the violation (not a timeout after 5 s), and its connection still reads (a throw in a callback stops it).
      await using pool = new Pool({ processes: 1, context: cluster(bob, { name: 'perm' }) });
      const started = performance.now();
      const err = await pool.apply(task(tasksUrl, 'slow'), [1, 1]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(String(err)).toMatch(/Permissions Violation for (Subscription to "mp\.perm\.|Publish to "\$JS\.API)/);
      expect(performance.now() - started).toBeLessThan(4000);
      await expect(Promise.race([bob.flush().then(() => 'read'), new Promise((r) => setTimeout(() => r('stuck'), 3000))])).resolves.toBe('read');
      // A host that may use JetStream but not subscribe to mp's subjects: host() rejects naming the subject.
      await using local = new Pool({ processes: 1 });
      await expect(host(carol, { name: 'perm', pool: local, allow: ['/'] })).rejects.toThrow(/Permissions Violation for Subscription to "mp\.perm\.cancel"/);
    } finally {
      await bob.close();
      await carol.close();
      await limited.stop();
    }
  });
});

describe('hostile messages', () => {
  it('garbage, wrong shapes, forged results and huge payloads crash nothing and run nothing', async () => {
    const file = join(dir, 'hostile.txt');
    await using pool = new Pool({ processes: 2, context: cluster(nc, { name: 'sec' }) });
    // Learn a real caller's id and batch the way any client on the server could: by listening to the jobs subject.
    const spy = nc.subscribe('mp.sec.jobs');
    // A call in flight while the garbage arrives.
    const pending = pool.starmap(task(tasksUrl, 'slow'), Array.from({ length: 20 }, (_, i) => [i, 50] as [number, number]), { chunksize: 1 });
    const js = jetstream(nc);
    // Whatever this caller writes to its stdout or stderr meanwhile (forged output must not reach it).
    const spies = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
    onTestFinished(() => spies.forEach((spy) => spy.mockRestore()));
    const junk: Uint8Array[] = [
      new Uint8Array([0xff, 0x00, 0x13, 0x37]),
      new Uint8Array(0),
      new TextEncoder().encode('{"v":1,"caller":"x","batch":1}'),
      serialize({ v: 1, caller: 'abcdef0123456789', batch: 1 }),
      serialize({ v: 1, caller: 'abcdef0123456789', batch: 2, jobs: [{ id: 1, fn: 1, mode: 'apply', data: [file], spec: { kind: 'module', url: 'file:///etc/passwd', name: 'x' } }] }),
      serialize({ v: 1, caller: '*.>', batch: 3, jobs: [{ id: 1, fn: 1, mode: 'apply', data: [file], spec: { kind: 'module', url: tasksUrl.href, name: 'touch' } }] }),
      // A function by value that would write the file: this host refuses source.
      serialize({ v: 1, caller: 'abcdef0123456789', batch: 4, jobs: [{ id: 1, fn: 1, mode: 'apply', data: [file], spec: { kind: 'source', source: `(f) => require('node:fs').appendFileSync(f, 'ran')`, name: '' } }] }),
      serialize({ v: 1, caller: 'abcdef0123456789', batch: 5, jobs: [{ id: 1, fn: 1, mode: 'star', data: [1, 2], spec: { kind: 'module', url: tasksUrl.href, name: 'slow' } }], shared: true }),
      // A caller pool's initializer that would write the file (refused: source), and malformed initializers.
      serialize({ v: 1, caller: 'abcdef0123456789', batch: 6, init: { key: 'k', spec: { kind: 'source', source: `(f) => require('node:fs').appendFileSync(f, 'ran')`, name: '' }, args: [file] } }),
      serialize({ v: 1, caller: 'abcdef0123456789', batch: 7, init: { key: 5 }, jobs: [{ id: 1, fn: 1, mode: 'apply', data: [file], spec: { kind: 'module', url: tasksUrl.href, name: 'touch' } }] }),
      serialize({ v: 1, caller: 'abcdef0123456789', batch: 8, init: { key: 'k', spec: { kind: 'module', url: tasksUrl.href, name: 'touch' }, args: [file] }, target: { spec: { kind: 'module', url: tasksUrl.href, name: 'touch' }, args: [file] } }),
      new Uint8Array(4 << 20).fill(0x41),
    ];
    for (const bytes of junk) await js.publish('mp.sec.jobs', bytes);
    // The same as direct requests (a lone batch's path past the queue): answered empty or with the refusal, never run.
    let answered = 0;
    for (const bytes of junk.slice(0, -1)) {
      // 10 s: one answer took over 2 s in a full CI run (the host also refuses the same junk from the stream then).
      const reply = await nc.request('mp.sec.direct', bytes, { timeout: 10_000 }).catch(() => undefined);
      if (reply) answered++;
    }
    expect(answered).toBe(junk.length - 1);
    for (const bytes of junk) {
      nc.publish('mp.sec.cancel', bytes);
      nc.publish('mp.sec.res.abcdef0123456789', bytes);
    }
    // Forged answers on that caller's result subject: wrong ids, wrong shapes, garbage; and garbage liveness questions.
    let real: { caller: string; batch: number; jobs: { id: number }[] } | undefined;
    for await (const m of spy) {
      try {
        real = deserialize(new Uint8Array(m.data)) as typeof real;
        if (Array.isArray(real?.jobs)) break;
      } catch {
        // our own junk
      }
    }
    spy.unsubscribe();
    const results = `mp.sec.res.${real!.caller}`;
    for (let batch = real!.batch; batch < real!.batch + 40; batch++) {
      nc.publish(results, serialize({ v: 1, batch, host: 'forger', results: [{ id: 999_999, ok: true, value: 'forged' }], ms: 1 }));
      nc.publish(results, serialize({ v: 1, batch, host: 'forger', results: [{ id: real!.jobs[0]!.id, ok: 'yes', value: 'forged' }], ms: 1 }));
      nc.publish(results, serialize({ v: 1, batch, host: 'forger', results: 'forged' }));
      nc.publish(results, serialize({ v: 1, batch, host: 'forger', target: { error: 'forged' } }));
      nc.publish(results, new Uint8Array([3, 1, 4, 1, 5]));
      // A forged "initializer ran" (or failed) for a batch of jobs, and forged output for it: neither is for a job batch.
      nc.publish(results, serialize({ v: 1, batch, host: 'forger', init: {} }));
      nc.publish(results, serialize({ v: 1, batch, host: 'forger', init: { error: { name: 'Error', message: 'forged' } } }));
      const output = `mp.sec.out.${real!.caller}.${batch}`;
      nc.publish(output, serialize({ v: 1, batch, host: 'forger', out: [[1, 'forged output\n']] }));
      nc.publish(output, serialize({ v: 1, batch, host: 'forger', out: [[3, 'forged output\n']] }));
      nc.publish(output, serialize({ v: 1, batch, host: 'forger', out: 'forged output' }));
      nc.publish(output, new Uint8Array([0xff, 0x00]));
    }
    const alive = await nc.request(`mp.sec.alive.${real!.caller}`, new Uint8Array([0xff, 0xfe]), { timeout: 2000 });
    expect(new TextDecoder().decode(alive.data)).toBe('0');
    const sub = await nc.request('mp.sec.alive.abcdef0123456789', new Uint8Array([1, 2, 3]), { timeout: 500 }).catch((e: unknown) => e);
    expect(sub).toBeInstanceOf(Error); // nobody answers for a caller that does not exist
    expect(await pending).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // The host is still up and serving, and nothing it was sent ran.
    expect(await pool.apply(task(tasksUrl, 'slow'), [7, 1])).toBe(7);
    expect(guarded!.proc.exitCode).toBeNull();
    expect(await readFile(file, 'utf8').catch(() => 'absent')).toBe('absent');
    expect(spies.flatMap((spy) => spy.mock.calls.map((c) => String(c[0]))).join('')).not.toContain('forged output');
    const jsm = await jetstreamManager(nc);
    // Every message is acknowledged or ended by the host; on a loaded machine the last of them can take seconds.
    for (let i = 0; i < 300 && (await jsm.streams.info('MP_sec')).state.messages > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await jsm.streams.info('MP_sec')).state.messages).toBe(0);
  }, 120_000);
});
