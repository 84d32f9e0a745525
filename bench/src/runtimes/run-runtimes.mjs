/**
 * The Deno, Bun and Chromium runner: cells of (a) per-task and (b) map
 * throughput for mp and the raw `Worker` baseline of that runtime, each in a
 * fresh `deno run -A` / `bun run` process (Chromium: a fresh browser context
 * on a page served with COOP/COEP), repeated as the Node runner does, and
 * rendered as the "Other runtimes" section of BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioById } from '../core/scenarios/index.mjs';
import { runRounds } from '../core/repetitions.mjs';
import { summarizeRecords } from '../core/summary.mjs';
import { renderRuntimesSection, runtimeRows } from '../core/runtimes-report.mjs';
import { now } from '../core/clock.mjs';
import { baselineOf, webLibraries, webScenarioIds } from '../web/libraries.mjs';
import { spawnRuntimeCell } from './spawn.mjs';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const srcDir = fileURLToPath(new URL('../', import.meta.url));

/** A runtime's binary: an env override, the workspace's npm-installed one, or PATH. */
function binary(name, env) {
  if (process.env[env]) return process.env[env];
  // npm's deno shim runs the binary as a child of `node bin.cjs`, out of reach of a timed-out cell's SIGKILL.
  const real = `${repoRoot}node_modules/deno/deno`;
  if (name === 'deno' && existsSync(real)) return real;
  const local = `${repoRoot}node_modules/.bin/${name}`;
  return existsSync(local) ? local : name;
}

function versionOf(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
  } catch {
    return 'not found';
  }
}

/** Each runtime: its report name, its libraries (labels and settings only matter here), and how to open it. */
export const runtimeDefs = {
  deno: {
    name: 'Deno',
    libraries: webLibraries({ pkg: '@mp/deno', worker: 'Deno module `Worker`s', importMp: undefined }),
    async open() {
      const deno = binary('deno', 'MP_DENO');
      const cell = `${srcDir}deno/cell.mjs`;
      return {
        version: versionOf(deno, ['--version']).replace(/^deno\s+/, '').split(' ')[0],
        runCell: (c, o) => spawnRuntimeCell('deno', deno, ['run', '-A', '--no-prompt', cell], c, o),
        close: async () => {},
      };
    },
  },
  bun: {
    name: 'Bun',
    libraries: webLibraries({ pkg: '@mp/bun', worker: 'Bun `Worker`s (module, Web Worker API)', importMp: undefined }),
    async open() {
      const bun = binary('bun', 'MP_BUN');
      const cell = `${srcDir}bun/cell.mjs`;
      return {
        version: versionOf(bun, ['--version']),
        runCell: (c, o) => spawnRuntimeCell('bun', bun, ['run', cell], c, o),
        close: async () => {},
      };
    },
  },
  chromium: {
    name: 'Chromium',
    libraries: webLibraries({ pkg: '@mp/browser', worker: 'module `Worker`s on the page', importMp: undefined }),
    async open() {
      const { openChromium } = await import('../browser/session.mjs');
      return openChromium();
    },
  },
};

export const runtimeIds = Object.keys(runtimeDefs);

/**
 * @param {{ runtimes: string[], smoke?: boolean, reps?: number, budgetS?: number, timeoutS?: number, log?: (line: string) => void }} o
 */
export async function runRuntimes(o) {
  const started = now();
  const mode = o.smoke ? 'smoke' : 'full';
  const log = o.log ?? (() => {});
  const reps = o.reps ?? (o.smoke ? 1 : 5);
  const budgetMs = (o.budgetS ?? 15) * 1000;
  const timeoutMs = (o.timeoutS ?? (o.smoke ? 30 : 180)) * 1000;
  const scenarios = webScenarioIds.map(scenarioById);
  const unknown = o.runtimes.filter((r) => !runtimeDefs[r]);
  if (unknown.length) throw new Error(`unknown runtime: ${unknown.join(', ')}; expected some of node, ${runtimeIds.join(', ')}`);

  const results = [];
  for (const id of o.runtimes) {
    const def = runtimeDefs[id];
    const cells = scenarios.flatMap((scenario) => def.libraries.filter((l) => l.scenarios.includes(scenario.id)).map((library) => ({ library, scenario })));
    log(`mp bench ${id} (${mode}): ${cells.length} cells, up to ${reps} run(s) each, one at a time`);
    let session;
    let records;
    try {
      session = await def.open();
      records = await runRounds(cells, {
        reps,
        budgetMs,
        concurrency: 1,
        groupOf: (cell) => cell.scenario.id,
        runCell: (cell, rep) => session.runCell(cell, { mode, rep, timeoutMs }),
        onDone: (cell, rep, { record, ms }) => {
          const shown = record.error ? `FAILED ${record.error.split('\n')[0]}` : `${record.value.toPrecision(4)} ${record.unit}`;
          log(`  [${id} run ${rep + 1}] ${cell.scenario.id.padEnd(6)} ${cell.library.id.padEnd(14)} ${shown}  (${(ms / 1000).toFixed(1)} s)`);
        },
      });
    } catch (error) {
      // The runtime could not start at all (say, no Chromium): every cell gets a failed record.
      const why = error instanceof Error ? error.message : String(error);
      log(`  [${id}] could not run: ${why.split('\n')[0]}`);
      records = cells.map(({ library, scenario }) => ({ runtime: id, library: library.id, scenario: scenario.id, rep: 0, mode, value: NaN, unit: scenario.unit, details: {}, error: why }));
    } finally {
      await session?.close();
    }
    const summaries = summarizeRecords(records);
    results.push({ id, name: def.name, version: session?.version ?? 'not available', libraries: def.libraries, records, rows: runtimeRows(summaries, scenarios, baselineOf) });
  }

  const totalMs = now() - started;
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const method = [
    'Same scenario code as the Node tables ((a) and (b) above, same sizes), run by each runtime: every cell is a fresh `deno run -A` or `bun run` process; in Chromium a fresh browser context on a page served with COOP/COEP (cross-origin isolated), the built `@mp/browser` loaded unbundled through an import map, driven by playwright-core.',
    `Each cell runs up to ${reps} time${reps === 1 ? "" : "s"}, interleaved in rounds, with the same time budget as the Node cells; figures are the median, min and max of the good runs, and the ratio is of medians.`,
    "mp: the runtime's adapter (`@mp/deno`, `@mp/bun`, `@mp/browser`), `context: 'thread'`, tasks by reference (`task(url, 'inc')`), 2 workers. Raw: 2 module `Worker`s, `{ id, op, arg }` messages, an id → resolver `Map`, round-robin (src/web/raw-*.mjs); (a) compares with one message per task, (b) with 1,000 items per message.",
  ];
  const rendered = results.map((r) => ({ name: r.name, version: r.version, rows: r.rows, libraries: r.libraries }));
  for (const r of rendered) for (const row of r.rows) log(`${r.name} (${row.scenario.id}): mp / ${row.baseline} = ${Number.isFinite(row.ratio) ? row.ratio.toFixed(2) : 'n/a'}×`);
  const section = renderRuntimesSection({ date, totalMs, mode, method, runtimes: rendered });
  return { results, section, totalMs, records: results.flatMap((r) => r.records) };
}
