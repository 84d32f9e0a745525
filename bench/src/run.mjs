/**
 * `pnpm bench`: the full benchmark, writing BENCHMARKS.md (and BENCHMARKS.svg)
 * at the repo root. `--smoke` runs every cell once with tiny sizes and writes
 * to a temp directory. See `--help`.
 */
import { parseArgs } from 'node:util';
import { runBenchmark } from './node/run-benchmark.mjs';

const help = `usage: node src/run.mjs [options]
  --smoke             every cell once, tiny sizes, a few seconds; writes to a temp dir
  --reps N            runs per cell (default 5; smoke 1)
  --budget S          seconds per cell across its runs, from its first run (default 15)
  --libraries a,b     only these libraries (ids in src/node/libraries/index.mjs)
  --scenarios a,b     only these scenarios: apply map latency cpu clone transfer startup memory
  --concurrency N     cells at once (default 1; smoke 2) — keep 1 for real figures
  --out FILE          report path (default: repo-root BENCHMARKS.md; partial runs: bench/results/)
  --json FILE         also write the raw records there`;

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean' },
    reps: { type: 'string' },
    budget: { type: 'string' },
    libraries: { type: 'string' },
    scenarios: { type: 'string' },
    concurrency: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(help);
  process.exit(0);
}
const num = (v) => (v === undefined ? undefined : Number(v));
const list = (v) => (v === undefined ? undefined : v.split(',').filter(Boolean));

const result = await runBenchmark({
  smoke: values.smoke,
  reps: num(values.reps),
  budgetS: num(values.budget),
  concurrency: num(values.concurrency),
  libraries: list(values.libraries),
  scenarios: list(values.scenarios),
  out: values.out,
  json: values.json,
  log: (line) => console.error(line),
});
const failed = result.records.filter((r) => r.error);
if (failed.length) {
  console.error(`${failed.length} cell run(s) failed:`);
  for (const r of failed) console.error(`  ${r.library} ${r.scenario}: ${r.error.split('\n')[0]}`);
}
// A failure that a retry made up for is reported, not fatal; a cell with no good run is.
const empty = [...result.summaries.values()].filter((s) => s.n === 0);
if (empty.length) {
  console.error(`no result for: ${empty.map((s) => `${s.library}/${s.scenario}`).join(', ')}`);
  process.exitCode = 1;
}
