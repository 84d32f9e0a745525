/**
 * Hosts that die or stall, and a caller that dies: no work is lost, no result comes twice, and the work of a
 * caller that is gone is dropped. Hosts run in their own processes; the ack wait is short (2 s) to keep this quick.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Pool, RemoteError, TimeoutError, task } from '@mp/node';
import { cluster } from '../src/index.ts';
import { startNats } from './nats-server.ts';
import { natsPerTest, startHost } from './hosts.ts';

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const slow = task<(i: number, ms: number) => Promise<number>>(tasksUrl, 'slow');
const mark = task<(file: string, i: number, ms: number) => Promise<number>>(tasksUrl, 'mark');
const ACK_WAIT = 2000;

const bed = natsPerTest('mp-nats-test-');

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

async function twoHosts(name: string, ackWait = ACK_WAIT): Promise<void> {
  bed.hosts = await Promise.all(
    ['a', 'b'].map((n) => startHost({ servers: bed.server.url, name, hostName: `${name}-${n}`, allow: ['/'], processes: 2, ackWait })),
  );
}

describe('faults', () => {
  it('a host killed (SIGKILL) mid-map loses nothing: the map finishes in order, within ack wait + a margin', async () => {
    await twoHosts('kill');
    await using pool = new Pool({ processes: 8, context: cluster(bed.nc, { name: 'kill' }) });
    const xs = Array.from({ length: 60 }, (_, i) => i);
    let killedAt = 0;
    const progress = pool.starmap(slow, xs.map((i) => [i, 100] as [number, number]), {
      chunksize: 1,
      onProgress: (d) => {
        if (d === 10 && !killedAt) {
          killedAt = performance.now();
          bed.hosts[0]!.proc.kill('SIGKILL');
        }
      },
    });
    expect(await progress).toEqual(xs);
    const took = performance.now() - killedAt;
    expect(killedAt).toBeGreaterThan(0);
    expect(took).toBeLessThan(ACK_WAIT + 15_000);
    expect(pool.stats().hosts).toContain('kill-b');
  });

  it('a host frozen (SIGSTOP) mid-map: its work goes to another host; a late repeat is dropped', async () => {
    await twoHosts('freeze');
    const file = join(bed.dir, 'runs.txt');
    await using pool = new Pool({ processes: 8, context: cluster(bed.nc, { name: 'freeze' }) });
    const xs = Array.from({ length: 40 }, (_, i) => i);
    let frozen = false;
    const results = await pool.starmap(mark, xs.map((i) => [file, i, 100] as [string, number, number]), {
      chunksize: 1,
      onProgress: (d) => {
        if (d === 8 && !frozen) {
          frozen = true;
          bed.hosts[0]!.proc.kill('SIGSTOP');
        }
      },
    });
    expect(results).toEqual(xs);
    expect(frozen).toBe(true);
    // Let the frozen host go on: what it held ran twice at most, and nothing changes the settled result.
    bed.hosts[0]!.proc.kill('SIGCONT');
    const runs = await lines(file);
    expect(new Set(runs).size).toBe(40);
  });

  it('signal and timeout stop remote work: aborted tasks never finish on their hosts', async () => {
    // A long ack wait: the hosts' periodic checks come too late here, so only the caller's cancellation can stop the work.
    await twoHosts('stop', 30_000);
    const file = join(bed.dir, 'runs.txt');
    await using pool = new Pool({ processes: 8, context: cluster(bed.nc, { name: 'stop' }) });
    expect(await pool.apply(mark, [file, -1, 1])).toBe(-1); // warm: both sides up
    const controller = new AbortController();
    const reason = new Error('stop now');
    const started = performance.now();
    const call = pool.starmap(mark, Array.from({ length: 12 }, (_, i) => [file, i, 1500] as [string, number, number]), {
      chunksize: 1,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 300);
    await expect(call).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1400);
    await expect(pool.apply(mark, [file, 99, 1500], { timeout: 300 })).rejects.toThrow(/timed out after 300 ms/);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await lines(file)).toEqual(['-1']);
  });

  it("a task's timeout counts from when it starts on a host, not while it waits in the queue (API.md 3)", async () => {
    await twoHosts('queued');
    // Twelve virtual workers against four host workers: eight tasks wait (in the stream, or in a host's pool)
    // while the first ones run. Each runs 700 ms, well inside the timeout; the last start ~1.4 s after the call.
    await using pool = new Pool({ processes: 12, context: cluster(bed.nc, { name: 'queued' }) });
    const xs = Array.from({ length: 12 }, (_, i) => i);
    expect(await pool.starmap(slow, xs.map((i) => [i, 700] as [number, number]), { chunksize: 1, timeout: 1500 })).toEqual(xs);
    expect(await Promise.all(xs.map((i) => pool.apply(slow, [i, 700], { timeout: 1500 })))).toEqual(xs);
    // A task that does run too long fails with a TimeoutError (the host's pool timed it), not a RemoteError.
    const late = await pool.apply(slow, [1, 5000], { timeout: 300 }).catch((e: unknown) => e);
    expect(TimeoutError.isInstance(late)).toBe(true);
    expect(RemoteError.isInstance(late)).toBe(false);
    expect(String(late)).toMatch(/timed out after 300 ms/);
    expect((late as { host?: unknown }).host).toMatch(/^queued-[ab]$/);
    const lateMap = await pool.starmap(slow, [[2, 5000]], { timeout: 300 }).catch((e: unknown) => e);
    expect(TimeoutError.isInstance(lateMap)).toBe(true);
  });

  it('the NATS server restarted mid-map: the map finishes with every result, or fails clearly; it never hangs', async () => {
    await twoHosts('restart');
    const caller = await connect({ servers: bed.server.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    try {
      await using pool = new Pool({ processes: 8, context: cluster(caller, { name: 'restart' }) });
      const xs = Array.from({ length: 40 }, (_, i) => i);
      let restarted: Promise<void> | undefined;
      const dbg = process.env.MP_TEST_DEBUG
        ? setTimeout(() => {
            void (async () => {
              console.log('STUCK', JSON.stringify(pool.stats()));
              for (const h of bed.hosts) console.log(h.name, h.output().split('\n').slice(-4).join(' | '));
              const jsm = await jetstreamManager(caller);
              console.log('stream', JSON.stringify((await jsm.streams.info('MP_restart')).state));
              console.log('consumer', JSON.stringify((await jsm.consumers.info('MP_restart', 'mp_hosts')).num_pending), JSON.stringify((await jsm.consumers.info('MP_restart', 'mp_hosts')).num_ack_pending));
            })();
          }, 30_000)
        : undefined;
      const outcome = await pool
        .starmap(slow, xs.map((i) => [i, 100] as [number, number]), {
          chunksize: 1,
          onProgress: (d) => {
            if (d === 10 && !restarted) {
              restarted = (async () => {
                await bed.server.kill('SIGKILL');
                await new Promise((r) => setTimeout(r, 500));
                bed.server = await startNats({ port: bed.server.port, dir: bed.server.dir });
              })();
            }
          },
        })
        .then(
          (results) => ({ results }),
          (error: unknown) => ({ error }),
        );
      clearTimeout(dbg);
      if (process.env.MP_TEST_DEBUG) console.log('restart outcome', 'error' in outcome ? String(outcome.error) : 'results');
      await restarted;
      if ('error' in outcome) expect(String(outcome.error)).toMatch(/cluster 'restart'|NATS|connection/);
      else expect(outcome.results).toEqual(xs);
    } finally {
      await caller.close();
    }
  });

  it('a task that no host survives fails its call once JetStream has delivered it maxDeliver times', async () => {
    bed.hosts = await Promise.all(
      ['a', 'b'].map((n) => startHost({ servers: bed.server.url, name: 'poison', hostName: `poison-${n}`, allow: ['/'], processes: 1, ackWait: 1000, maxDeliver: 2 })),
    );
    await using pool = new Pool({ processes: 2, context: cluster(bed.nc, { name: 'poison' }) });
    expect(await pool.apply(slow, [1, 1])).toBe(1);
    await expect(pool.apply(task(tasksUrl, 'freezeHost'), [])).rejects.toThrow(/delivered to hosts as often as the consumer allows \(max_deliver\)/);
  }, 150_000); // two hosts to freeze, each seen only after an ack wait: slow on a loaded CI machine

  it('a task whose last delivery stalls its only host fails its call, though no host is left to pull', async () => {
    // nats-server 2.9 sends the max-deliveries advisory only when some host pulls again; here none can (the one
    // host is stopped, its pull long expired). The caller fails the call when that host stops asking about it.
    bed.hosts = [await startHost({ servers: bed.server.url, name: 'stall', hostName: 'stall-a', allow: ['/'], processes: 1, ackWait: 3000, maxDeliver: 1 })];
    await using pool = new Pool({ processes: 1, context: cluster(bed.nc, { name: 'stall' }) });
    expect(await pool.apply(slow, [1, 1])).toBe(1);
    await expect(pool.apply(task(tasksUrl, 'freezeHost'), [])).rejects.toThrow(/delivered to hosts as often as the consumer allows \(max_deliver\)/);
  }, 60_000);

  it('a caller killed mid-map: its queued and running work is dropped, not run', async () => {
    await twoHosts('orphan');
    const file = join(bed.dir, 'runs.txt');
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const script = fileURLToPath(new URL('./fixtures/caller-main.ts', import.meta.url));
    const caller = spawn(process.execPath, ['--import', tsx, script], {
      env: { ...process.env, MP_TEST_CALLER: JSON.stringify({ servers: bed.server.url, name: 'orphan', file, count: 200, ms: 300 }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    caller.stdout.on('data', (c: Buffer) => (out += c.toString()));
    caller.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise((resolve) => caller.once('exit', resolve));
    // Once some work has run, the caller dies without a word.
    for (let i = 0; i < 300 && (await lines(file)).length < 4; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await lines(file)).length, out).toBeGreaterThanOrEqual(4);
    caller.kill('SIGKILL');
    await exited;
    // Hosts find the caller gone (silent for 3 s): running tasks are stopped, queued ones dropped.
    await new Promise((r) => setTimeout(r, ACK_WAIT + 5000));
    const settled = (await lines(file)).length;
    await new Promise((r) => setTimeout(r, 3000));
    const later = (await lines(file)).length;
    expect(later).toBe(settled);
    expect(later).toBeLessThan(60);
    const jsm = await jetstreamManager(bed.nc);
    if (process.env.MP_TEST_DEBUG) console.log(bed.hosts.map((h) => h.output()).join('\n----\n'));
    expect((await jsm.streams.info('MP_orphan')).state.messages).toBe(0);
  });
});
