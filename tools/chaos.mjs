#!/usr/bin/env node
/**
 * `pnpm chaos`: chaos runs against the built @mp/node (see chaos-lib.mjs) and their figures in
 * RELIABILITY.md. `--soak` adds a soak of at least 10 million tasks with RSS sampled over time
 * (`--soak-tasks N` to change it). Exits 1 if any run fails its checks.
 */
import { killProcesses, soak, threadFaults } from './chaos-lib.mjs';
import { machine, writeSection } from './reliability-md.mjs';

const root = new URL('../', import.meta.url);
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const api = await import(new URL('packages/node/dist/index.js', root).href);
const { RemoteError, WorkerExitError } = api;
const log = (s) => console.log(s);
const seed = value('--seed', Number(process.env.MP_FUZZ_SEED ?? Date.now() % 1e9));
const rounds = value('--rounds', 3);
console.log(`chaos: seed ${seed}, ${rounds} rounds (replay: pnpm chaos --seed ${seed})`);

const kills = [];
const faults = [];
let failures = 0;
for (let r = 0; r < rounds; r++) {
  const k = await killProcesses(api, { root, tasks: value('--tasks', 5000), processes: 3, seed: seed + r, log });
  kills.push(k);
  if (k.wrong || k.otherErrors.length || k.hangs || !k.usableAfter || k.results + k.workerExitErrors === 0) failures++;
  const t = await threadFaults({ ...api, RemoteError, WorkerExitError }, { root, tasks: 2000, exits: 10, ooms: 3, throws: 50, seed: seed + 100 + r, log });
  faults.push(t);
  const g = t.got;
  if (g.ok !== t.expected.ok || g.exit !== t.expected.exit || g.oom !== t.expected.oom || g.throw !== t.expected.throw || g.misattributed.length || g.wrongValue || !t.usableAfter) failures++;
}
const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
let soakReport;
if (flag('--soak')) soakReport = await soak(api, { root, tasks: value('--soak-tasks', 10_000_000), log });

const lines = [
  `## Chaos (\`pnpm chaos\`)`,
  '',
  `${machine()}; seed ${seed}; ${failures === 0 ? 'every check passed' : `**${failures} run(s) failed their checks**`}.`,
  '',
  '| run | tasks | calls | results (all right) | failures | kills survived | hangs | usable after |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...kills.map((k, i) => `| SIGKILL, process pool ${i + 1} | ${k.tasks} | ${k.calls} | ${k.results}${k.wrong ? ` (**${k.wrong} wrong**)` : ''} | ${k.workerExitErrors} WorkerExitError${k.otherErrors.length ? `, **${k.otherErrors.length} other**` : ''} | ${k.kills} | ${k.hangs} | ${k.usableAfter ? 'yes' : '**no**'} |`),
  ...faults.map((t, i) => `| thread faults ${i + 1} | ${t.tasks} | ${t.tasks} | ${t.got.ok} of ${t.expected.ok} | exit ${t.got.exit}/${t.expected.exit}, out of memory ${t.got.oom}/${t.expected.oom}, throw ${t.got.throw}/${t.expected.throw}${t.got.misattributed.length ? `, **${t.got.misattributed.length} misattributed**` : ''} | – | ${t.got.hangs} | ${t.usableAfter ? 'yes' : '**no**'} |`),
  '',
  `Totals: ${sum(kills, (k) => k.kills)} worker processes SIGKILLed mid-run and survived; ${sum(kills, (k) => k.tasks) + sum(faults, (t) => t.tasks)} tasks; hangs: ${sum(kills, (k) => k.hangs) + sum(faults, (t) => t.got.hangs)}.`,
];
if (soakReport) {
  const s = soakReport;
  lines.push(
    '',
    `### Soak (\`pnpm chaos --soak\`)`,
    '',
    `${s.tasks.toLocaleString('en-US')} tasks (maps of 100,000 items, imapUnordered, applies; thread pool of 2) in ${s.seconds.toFixed(0)} s; RSS sampled ${s.samples.length} times: first ${s.rssFirstMb.toFixed(1)} MB, last ${s.rssLastMb.toFixed(1)} MB, max ${s.rssMaxMb.toFixed(1)} MB; trend over the second half ${s.mbPerMillionSecondHalf.toFixed(3)} MB per million tasks.`,
    '',
    '| tasks (millions) | RSS (MB) |',
    '| ---: | ---: |',
    ...s.samples.filter((_, i, a) => i % Math.max(1, Math.floor(a.length / 12)) === 0 || i === a.length - 1).map((x) => `| ${(x.tasks / 1e6).toFixed(2)} | ${x.rssMb.toFixed(1)} |`),
  );
}
writeSection(root, flag('--soak') ? 'chaos' : 'chaos', lines.join('\n'));
console.log(lines.join('\n'));
process.exit(failures === 0 ? 0 : 1);
