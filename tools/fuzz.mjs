#!/usr/bin/env node
/**
 * `pnpm fuzz`: many more model-based programs and serializer inputs than CI runs, with a fresh
 * seed each time (or `--seed N` / MP_FUZZ_SEED), and their counts in RELIABILITY.md. A failure
 * prints the seed and fast-check's path so it replays exactly:
 *   MP_FUZZ_SEED=… MP_FUZZ_PATH=… MP_FUZZ_SHRINK=1 pnpm fuzz --node-only
 * `--runs N` programs per context (default 100); `--all` adds Deno and Bun; `--node-only` skips
 * the serializer fuzzers. Exits 1 on any failure.
 */
import { spawnSync } from 'node:child_process';
import { machine, writeSection } from './reliability-md.mjs';

const root = new URL('../', import.meta.url);
const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const seed = Number(value('--seed', process.env.MP_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31))));
const runs = Number(value('--runs', process.env.MP_FUZZ_RUNS ?? '100'));
const env = { ...process.env, MP_FUZZ_SEED: String(seed), MP_FUZZ_RUNS: String(runs) };
console.log(`fuzz: seed ${seed}, ${runs} programs per runtime and context`);

const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath) ? process.env.npm_execpath : 'pnpm';
function run(label, cwd, argv, extraEnv = {}) {
  console.log(`\n== ${label}: ${argv.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(pnpm, argv, { cwd: new URL(cwd, root), env: { ...env, ...extraEnv, NO_COLOR: '1', FORCE_COLOR: '0' }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = `${r.stdout}\n${r.stderr}`;
  process.stdout.write(out.split('\n').filter((l) => /✓|×|pass|fail|ok \||FAILED|seed|Counterexample|Caused by|AssertionError|bad byte/i.test(l)).slice(0, 60).join('\n') + '\n');
  const failedAfter = [...out.matchAll(/Property failed after (\d+) tests/g)].map((m) => Number(m[1]));
  const replay = [...out.matchAll(/\{ seed: (-?\d+), path: "([^"]*)"/g)].map((m) => `MP_FUZZ_SEED=${m[1]} MP_FUZZ_PATH=${m[2]} MP_FUZZ_SHRINK=1`);
  const bad = Number(/serializer fuzz: (\d+) bad byte strings read/.exec(out)?.[1] ?? 0);
  return { label, ok: r.status === 0, seconds: (Date.now() - t0) / 1000, failedAfter, replay, bad };
}

const results = [];
if (!args.includes('--node-only')) {
  results.push({ ...run('serializer (Node)', 'packages/core/', ['exec', 'vitest', 'run', 'test/serialize.fuzz.test.ts'], { MP_FUZZ_RUNS: String(runs * 10) }), kind: 'serializer', values: runs * 10 });
}
// The built package: workers start fast, so the time goes to the programs.
results.push({ ...run('model, Node (thread + process)', 'packages/node/', ['exec', 'vitest', 'run', 'test/conformance-dist.test.ts', '-t', 'model-based']), kind: 'model', contexts: 2 });
if (args.includes('--all')) {
  results.push({ ...run('model, Bun (thread + process)', 'packages/bun/', ['exec', 'bun', 'test', './test/conformance.test.ts', '-t', 'model-based']), kind: 'model', contexts: 2 });
  results.push({
    ...run('model, Deno (thread)', 'packages/deno/', ['exec', 'deno', 'test', '-A', '--no-prompt', '--no-check', '--unstable-worker-options', 'test/conformance.test.ts', '--filter', '/model-based/']),
    kind: 'model',
    contexts: 1,
  });
}

const failures = results.filter((r) => !r.ok);
const programs = (r) => (r.ok ? runs * r.contexts : r.failedAfter.reduce((a, b) => a + b, 0) + runs * Math.max(0, r.contexts - r.failedAfter.length));
const lines = [
  '## Fuzzing and model-based programs (`pnpm fuzz`)',
  '',
  `${machine()}; seed ${seed}; ${failures.length === 0 ? 'no failure' : `**${failures.length} failing run(s)**`}; hangs: 0 (every call of every program settled within its bound${failures.length ? ', or the failure says otherwise' : ''}).`,
  '',
  '| run | what | count | result | time |',
  '| --- | --- | ---: | --- | ---: |',
  ...results.map((r) =>
    r.kind === 'serializer'
      ? `| ${r.label} | random values through serialize, a Queue and a Pipe (each); bad byte strings read | ${r.values} values; ${r.bad} bad inputs | ${r.ok ? 'pass' : '**fail**'} | ${r.seconds.toFixed(0)} s |`
      : `| ${r.label} | random programs over one pool | ${programs(r)} programs | ${r.ok ? 'pass' : `**fail** (${r.replay.join('; ')})`} | ${r.seconds.toFixed(0)} s |`,
  ),
];
writeSection(root, 'fuzz', lines.join('\n'));
console.log(`\n${lines.join('\n')}`);
for (const f of failures) for (const r of f.replay) console.log(`replay ${f.label}: ${r} pnpm fuzz`);
process.exit(failures.length === 0 ? 0 : 1);
