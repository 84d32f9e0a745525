/**
 * The Node runner: plans the cells (library × scenario), runs each in a fresh
 * `node` process, repeats them, and writes the report and its chart. Other
 * runtimes get their own runner over the same core.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarios as allScenarios } from '../core/scenarios/index.mjs';
import { runRounds } from '../core/repetitions.mjs';
import { summarizeRecords } from '../core/summary.mjs';
import { evaluateTargets } from '../core/targets.mjs';
import { renderReport } from '../core/report.mjs';
import { renderChart } from '../core/chart.mjs';
import { extractRuntimesSection, spliceRuntimesSection } from '../core/runtimes-report.mjs';
import { renderNodeSection, spliceNodeSection } from '../core/node-section.mjs';
import { now } from '../core/clock.mjs';
import { formatDuration } from '../core/format.mjs';
import { libraries as allLibraries } from './libraries/index.mjs';
import { machineInfo } from './machine.mjs';
import { snapshotMp } from './mp-snapshot.mjs';
import { spawnCell } from './spawn-cell.mjs';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const resultsDir = fileURLToPath(new URL('../../results/', import.meta.url));

function pick(list, ids, what) {
  if (!ids) return list;
  const unknown = ids.filter((id) => !list.some((x) => x.id === id));
  if (unknown.length) throw new Error(`unknown ${what}: ${unknown.join(', ')}; expected some of ${list.map((x) => x.id).join(', ')}`);
  return list.filter((x) => ids.includes(x.id));
}

/**
 * @param {{ smoke?: boolean, reps?: number, budgetS?: number, concurrency?: number, timeoutS?: number,
 *   libraries?: string[], scenarios?: string[], out?: string, json?: string, log?: (line: string) => void,
 *   runtimesSection?: string }} o  `runtimesSection`: the "Other runtimes" section to put in the report; without it, the one already in the file is kept
 */
export async function runBenchmark(o = {}) {
  const started = now();
  const mode = o.smoke ? 'smoke' : 'full';
  const log = o.log ?? (() => {});
  const libraries = pick(allLibraries, o.libraries, 'library');
  const scenarios = pick(allScenarios, o.scenarios, 'scenario');
  const reps = o.reps ?? (o.smoke ? 1 : 5);
  // A scenario may ask for more runs (start-up: one cell is 0.1 s, and its spread is a few ms).
  const scenarioReps = (scenario) => (o.reps === undefined ? scenario.reps?.[mode] : undefined) ?? reps;
  const budgetMs = (o.budgetS ?? 15) * 1000;
  const concurrency = o.concurrency ?? (o.smoke ? 2 : 1);
  const timeoutMs = (o.timeoutS ?? (o.smoke ? 30 : 180)) * 1000;
  const cells = scenarios.flatMap((scenario) => libraries.filter((l) => l.scenarios.includes(scenario.id)).map((library) => ({ library, scenario })));

  log(`mp bench (${mode}): ${cells.length} cells, up to ${reps} run(s) each, ${concurrency} at a time`);
  const loads = [];
  const machine = machineInfo();
  const snapshot = await snapshotMp();
  const env = { MP_BENCH_MP_NODE: snapshot.entry, MP_BENCH_MP_DIR: snapshot.dir };
  let records;
  try {
    records = await runRounds(cells, {
      reps,
      cellReps: (cell) => scenarioReps(cell.scenario),
      groupOf: (cell) => cell.scenario.id,
      budgetMs,
      concurrency,
      runCell: (cell, rep) => spawnCell(cell, { mode, rep, timeoutMs, env }),
      onDone: (cell, rep, { record, ms }) => {
        loads.push(loadavg()[0]);
        const shown = record.error ? `FAILED ${record.error.split('\n')[0]}` : `${record.value.toPrecision(4)} ${record.unit}`;
        log(`  [run ${rep + 1}] ${cell.scenario.id.padEnd(8)} ${cell.library.id.padEnd(16)} ${shown}  (${(ms / 1000).toFixed(1)} s)`);
      },
    });
  } finally {
    snapshot.remove();
  }

  const summaries = summarizeRecords(records);
  const targets = evaluateTargets(summaries, libraries);
  const totalMs = now() - started;
  const partial = Boolean(o.libraries || o.scenarios);
  const outFile = o.out ?? (o.smoke ? join(mkdtempSync(join(tmpdir(), 'mp-bench-smoke-')), 'BENCHMARKS.md') : partial ? join(resultsDir, 'BENCHMARKS.partial.md') : join(repoRoot, 'BENCHMARKS.md'));
  const chartFile = outFile.replace(/\.md$/, '') + '.svg';
  machine.mpRevision += `; build of ${snapshot.builtAt}, copied at the start of the run so a rebuild cannot change it midway`;
  if (loads.length) {
    machine.load = `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (1-minute load average after each cell; the benchmark alone accounts for up to about 3)`;
  }
  const method = [
    'Every cell (one library × one scenario) runs in a fresh `node` process, which prints one JSON record; nothing is shared between cells. Only (g) runs with `--expose-gc` (to collect garbage before each reading): the flag stops Node from starting workers from its startup snapshot, which nearly doubles the time a worker thread takes to boot.',
    `Each cell runs up to ${reps} times (start-up cells, 0.1 s each, up to ${scenarioReps(allScenarios.find((x) => x.id === 'startup'))}; payload cells, 0.5 s, up to ${scenarioReps(allScenarios.find((x) => x.id === 'clone'))}), interleaved in rounds so drift on the machine spreads over all cells (within a scenario in a new order each round, shuffled with the round as seed, so no library always runs right after the same one); a cell whose first successful run took t seconds runs floor(${budgetMs / 1000} / t) times (at least once), which keeps the whole run under ${o.smoke ? 'a minute' : '10 minutes'}: the slow peers in (a) and (g) run once or twice. A failed run is retried once and shown in the table. The "runs" column counts the good runs; figures are median, min and max over them.`,
    'Every pool has 2 workers. Each scenario warms the pool (the same warm-up for every library) before the timed part, except start-up; results are checked for correctness after timing.',
    'mp is measured with functions by reference (`task(new URL(\'./tasks.mjs\', import.meta.url), \'inc\')`), as the peers load a worker file; the by-value row shows the other form.',
    '(b) piscina, tinypool, workerpool and poolifier have no chunked `map` (poolifier\'s `mapExecute` is one task per item): their row splits the input into chunks of the size mp and Python use by default, ceil(n / (4 × workers)), runs one task per chunk (`incAll`) and concatenates the results. The raw batched rows use 1,000 items per message.',
    '(c) sequential tasks cannot be batched, so the batched raw rows are not run; (d)–(g) compare against the unbatched raw baseline.',
    "(e) in mp's process context a transfer list cannot move memory between processes: the buffer is copied (V8 serialization over IPC).",
    '(g) RSS is the benchmark process only: thread workers are inside it, child processes (mp process context) are not.',
    '(h) is a program\'s first seconds: nothing warms the pool but its own 4-item `map`, and the cell\'s process has run no task before; V8 has compiled none of the library\'s code yet, so this is where the cost of compiling it shows.',
    '(i) each run starts a fresh `node` that only imports the library (mp by its package name, resolved from the snapshot of its build) and prints how long `await import()` took; 21 runs per library.',
    'mp\'s shared-memory fast path (issue 14) is on in every mp row; `MP_FAST_PATH=0` turns it off (the conformance suite runs both ways).',
    'Raw baselines: `worker_threads` Workers and one `{ id, op, arg }` message per call, an id → resolver `Map`, round-robin dispatch (src/node/libraries/raw-*.mjs).',
  ];
  if (o.nodeSection) {
    // Another Node's run: its targets only, as a section the main run keeps (see below).
    const section = renderNodeSection({ machine, targets, totalMs: now() - started, mode });
    const doc = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, spliceNodeSection(doc, machine.runtime, section));
    log(`wrote the ${machine.runtime} section of ${outFile}`);
    return { records, summaries, targets, outFile };
  }
  const chartRel = basename(chartFile);
  // The Deno, Bun and Chromium rows come from `--runtimes` (../runtimes/): fresh ones if this run made them, else the ones already in the file.
  const runtimesSection = o.runtimesSection ?? (existsSync(outFile) ? extractRuntimesSection(readFileSync(outFile, 'utf8')) : undefined);
  const nodeReport = renderReport({ machine, libraries, scenarios, summaries, targets, mode, totalMs, chartFile: chartRel, method });
  const withRuntimes = runtimesSection ? spliceRuntimesSection(nodeReport, runtimesSection) : nodeReport;
  // The Cluster section is `pnpm bench:cluster`'s (../cluster/run-cluster.mjs): kept as it is in the file.
  const previous = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  const cluster = previous.match(/<!-- cluster:start -->[\s\S]*?<!-- cluster:end -->\n?/)?.[0];
  // Sections other Nodes' runs wrote (--node-section): kept as they are.
  const otherNodes = [...previous.matchAll(/<!-- node-section:[^>]*:start -->[\s\S]*?<!-- node-section:[^>]*:end -->\n?/g)].map((m) => m[0]);
  const kept = [...otherNodes, ...(cluster ? [cluster] : [])];
  const report = kept.length ? `${withRuntimes.replace(/\n*$/, '\n\n')}${kept.map((k) => k.replace(/\n*$/, '\n')).join('\n')}` : withRuntimes;
  const chart = renderChart(targets, `${machine.runtime}, ${machine.cpu}, ${machine.cores} cores, ${machine.date}`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, report);
  writeFileSync(chartFile, chart);
  const jsonFile = o.json ?? (o.smoke ? undefined : join(resultsDir, partial ? 'records.partial.json' : 'records.json'));
  if (jsonFile) {
    mkdirSync(dirname(jsonFile), { recursive: true });
    writeFileSync(jsonFile, JSON.stringify({ machine, mode, totalMs, records }, null, 1));
  }
  const unmeasured = targets.filter((t) => t.pass === undefined).length;
  log(`done in ${formatDuration(totalMs)}: ${targets.filter((t) => t.pass).length}/${targets.length} targets met${unmeasured ? ` (${unmeasured} not measured)` : ''}; wrote ${outFile}`);
  return { records, summaries, targets, report, outFile, chartFile, jsonFile, totalMs, cells };
}
