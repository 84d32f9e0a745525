/**
 * Chaos runs against a Node pool, shared by `pnpm chaos` (tools/chaos.mjs) and the short run in
 * CI (packages/node/test/chaos.test.ts). Each run takes the adapter's API (`Pool`, `task` and the
 * error classes), so the test drives the source and the command the built package.
 *
 * - killProcesses: a `context: 'process'` pool whose worker processes are SIGKILLed at random
 *   while thousands of tasks run: every call settles, every result is right, every failure is a
 *   WorkerExitError, and the pool keeps working.
 * - threadFaults: a thread pool whose tasks exit, run out of memory under `resourceLimits`, or
 *   throw, at known positions: the counts of results and of each error are exact.
 * - soak: millions of tasks with the RSS sampled over time; the trend of the second half.
 */
import { readdirSync, readFileSync } from 'node:fs';

const fixtures = (root) => new URL('packages/core/dist/conformance/fixtures.js', root);

/** Resolves to `promise`'s settled result, or rejects if it has not settled within `ms`. */
function within(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: ${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([
    promise.then(
      (value) => ({ ok: true, value }),
      (error) => ({ ok: false, error }),
    ),
    limit,
  ]).finally(() => clearTimeout(timer));
}

/** The ids of this process's live child processes (Linux /proc). */
function children() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && fields[0] !== 'Z') out.push(Number(name));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

const rand = (seed) => {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
};

/**
 * @param {{ Pool: any, task: any, WorkerExitError: any }} api
 * @param {{ root: URL, tasks?: number, processes?: number, killEveryMs?: [number, number], seed?: number, log?: (s: string) => void }} o
 */
export async function killProcesses(api, o) {
  const { Pool, task, WorkerExitError } = api;
  const chaosTask = task(fixtures(o.root), 'chaosTask');
  const total = o.tasks ?? 5000;
  const random = rand(o.seed ?? 1);
  const pool = new Pool({ processes: o.processes ?? 3, context: 'process' });
  const ready = new Set(); // processes that have run a task: started, so a kill hits a working worker
  const report = { tasks: total, calls: 0, results: 0, wrong: 0, workerExitErrors: 0, otherErrors: [], kills: 0, hangs: 0, usableAfter: false };
  let killing = true;
  const killer = (async () => {
    const [lo, hi] = o.killEveryMs ?? [30, 120];
    while (killing) {
      await new Promise((r) => setTimeout(r, lo + random() * (hi - lo)));
      const live = children().filter((pid) => ready.has(pid));
      if (!killing || live.length === 0) continue;
      const pid = live[Math.floor(random() * live.length)];
      try {
        process.kill(pid, 'SIGKILL');
        ready.delete(pid);
        report.kills++;
      } catch {
        // it ended on its own
      }
    }
  })();
  const check = (n, r) => {
    if (!Array.isArray(r) || r[0] !== n * 2 + 1) report.wrong++;
    else {
      report.results++;
      ready.add(r[1]);
    }
  };
  const failed = (error) => {
    if (WorkerExitError.isInstance(error)) report.workerExitErrors++;
    else report.otherErrors.push(`${error?.name}: ${error?.message}`);
  };
  // Mixed calls: applies, maps in small chunks, and an imap, each item sleeping 0–4 ms.
  const calls = [];
  let n = 0;
  while (n < total) {
    const kind = random();
    if (kind < 0.5) {
      const i = n++;
      report.calls++;
      calls.push(within(pool.apply(chaosTask, [i, Math.floor(random() * 4)]), 120_000, `apply ${i}`).then((r) => (r.ok ? check(i, r.value) : failed(r.error))));
    } else if (kind < 0.9) {
      const items = Array.from({ length: Math.min(total - n, 1 + Math.floor(random() * 40)) }, (_, k) => [n + k, Math.floor(random() * 4)]);
      n += items.length;
      report.calls++;
      calls.push(
        within(pool.starmap(chaosTask, items, { chunksize: 1 + Math.floor(random() * 4) }), 120_000, 'starmap').then((r) => {
          if (!r.ok) return failed(r.error);
          r.value.forEach((v, k) => check(items[k][0], v));
        }),
      );
    } else {
      const items = Array.from({ length: Math.min(total - n, 1 + Math.floor(random() * 60)) }, (_, k) => n + k);
      n += items.length;
      report.calls++;
      calls.push(
        within(
          (async () => {
            let k = 0;
            for await (const v of pool.imap(task(fixtures(o.root), 'chaosTask'), items)) check(items[k++], v);
          })(),
          120_000,
          'imap',
        ).then((r) => (r.ok ? undefined : failed(r.error))),
      );
    }
    // Keep a bounded number of calls in flight, so the run lasts long enough to kill into.
    if (calls.length % 200 === 0) await Promise.all(calls.slice(-200));
  }
  try {
    await Promise.all(calls);
  } catch (error) {
    if (/^HANG/.test(error.message)) report.hangs++;
    throw error;
  } finally {
    killing = false;
    await killer;
  }
  const after = await within(pool.map(chaosTask, Array.from({ length: 100 }, (_, i) => i)), 60_000, 'the map after the chaos');
  // map passes one argument: chaosTask(n) with ms undefined
  report.usableAfter = after.ok && after.value.every((v, i) => v[0] === i * 2 + 1);
  const end = await within(pool.terminate(), 30_000, 'terminate');
  if (!end.ok) report.hangs++;
  o.log?.(`kill chaos: ${JSON.stringify({ ...report, otherErrors: report.otherErrors.slice(0, 3) })}`);
  return report;
}

/**
 * @param {{ Pool: any, task: any, WorkerExitError: any, RemoteError: any }} api
 * @param {{ root: URL, tasks?: number, exits?: number, ooms?: number, throws?: number, seed?: number, log?: (s: string) => void }} o
 */
export async function threadFaults(api, o) {
  const { Pool, task, WorkerExitError, RemoteError } = api;
  const f = fixtures(o.root);
  const act = task(f, 'act');
  const exhaustMemory = task(f, 'exhaustMemory');
  const random = rand(o.seed ?? 2);
  const total = o.tasks ?? 2000;
  // Positions of each fault, chosen once: the expected counts are known before the run.
  const plan = Array.from({ length: total }, () => 'ok');
  const place = (kind, count) => {
    for (let placed = 0; placed < count; ) {
      const at = Math.floor(random() * total);
      if (plan[at] !== 'ok') continue;
      plan[at] = kind;
      placed++;
    }
  };
  place('exit', o.exits ?? 10);
  place('oom', o.ooms ?? 3);
  place('throw', o.throws ?? 50);
  const pool = new Pool({ processes: 3, context: 'thread', resourceLimits: { maxOldGenerationSizeMb: 48 } });
  const got = { ok: 0, wrongValue: 0, exit: 0, oom: 0, throw: 0, misattributed: [], hangs: 0 };
  const calls = plan.map((kind, i) => {
    const call =
      kind === 'ok' ? pool.apply(act, [i]) : kind === 'throw' ? pool.apply(act, [['throw', i]]) : kind === 'exit' ? pool.apply(act, [['exit', 3 + (i % 5)]]) : pool.apply(exhaustMemory, []);
    return within(call, 180_000, `task ${i} (${kind})`).then((r) => {
      if (r.ok) {
        if (kind === 'ok' && r.value === i * 2 + 1) got.ok++;
        else if (kind === 'ok') got.wrongValue++;
        else got.misattributed.push(`${i} (${kind}) resolved`);
        return;
      }
      const e = r.error;
      if (kind === 'throw' && RemoteError.isInstance(e) && e.message === `model ${i}`) got.throw++;
      else if (kind === 'exit' && WorkerExitError.isInstance(e) && e.exitCode === 3 + (i % 5)) got.exit++;
      else if (kind === 'oom' && WorkerExitError.isInstance(e)) got.oom++;
      else got.misattributed.push(`${i} (${kind}): ${e?.name}: ${e?.message}`);
    });
  });
  try {
    await Promise.all(calls);
  } catch (error) {
    if (/^HANG/.test(error.message)) got.hangs++;
    throw error;
  }
  const expected = { ok: plan.filter((k) => k === 'ok').length, exit: o.exits ?? 10, oom: o.ooms ?? 3, throw: o.throws ?? 50 };
  const stats = pool.stats();
  const after = await within(pool.map(act, [1, 2, 3]), 60_000, 'the map after the faults');
  await within(pool.terminate(), 30_000, 'terminate');
  const report = { tasks: total, expected, got, stats: { completed: stats.completed, failed: stats.failed, workers: stats.workers }, usableAfter: after.ok && after.value.join() === '3,5,7' };
  o.log?.(`thread faults: ${JSON.stringify({ ...report, got: { ...got, misattributed: got.misattributed.slice(0, 3) } })}`);
  return report;
}

/** A least-squares slope of `ys` against `xs`. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * @param {{ Pool: any, task: any }} api
 * @param {{ root: URL, tasks?: number, log?: (s: string) => void }} o
 */
export async function soak(api, o) {
  const { Pool, task } = api;
  const f = fixtures(o.root);
  const squ = task(f, 'squ');
  const target = o.tasks ?? 10_000_000;
  const pool = new Pool({ processes: 2 });
  const samples = [];
  const t0 = Date.now();
  let done = 0;
  let rounds = 0;
  const items = Array.from({ length: 100_000 }, (_, i) => i);
  while (done < target) {
    const r = await pool.map(squ, items);
    if (r.length !== items.length || r[99_999] !== 99_999 ** 2) throw new Error(`soak: wrong map result in round ${rounds}`);
    done += items.length;
    let k = 0;
    for await (const v of pool.imapUnordered(squ, items.slice(0, 2_000), { chunksize: 50 })) k += v >= 0 ? 1 : 0;
    done += k;
    const applies = await Promise.all(Array.from({ length: 500 }, (_, i) => pool.apply(squ, [i])));
    done += applies.length;
    rounds++;
    if (rounds % 5 === 0) {
      samples.push({ s: (Date.now() - t0) / 1000, tasks: done, rssMb: process.memoryUsage().rss / 2 ** 20 });
      if (rounds % 50 === 0) o.log?.(`soak: ${done.toLocaleString('en-US')} tasks, RSS ${samples.at(-1).rssMb.toFixed(1)} MB`);
    }
  }
  await pool.terminate();
  const second = samples.slice(Math.floor(samples.length / 2));
  const perMillion = slope(
    second.map((x) => x.tasks / 1e6),
    second.map((x) => x.rssMb),
  );
  return {
    tasks: done,
    seconds: (Date.now() - t0) / 1000,
    samples,
    rssFirstMb: samples[0]?.rssMb,
    rssLastMb: samples.at(-1)?.rssMb,
    rssMaxMb: Math.max(...samples.map((x) => x.rssMb)),
    mbPerMillionSecondHalf: perMillion,
  };
}
