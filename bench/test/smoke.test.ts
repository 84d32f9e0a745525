/**
 * The benchmark's smoke run, so it cannot rot: every cell (library × scenario)
 * runs once with tiny sizes through the real CLI, in fresh processes, and must
 * return a sane record; the report and chart must be written. Shape only — no
 * timing is asserted (the machine is shared and noisy).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = fileURLToPath(new URL('../src/run.mjs', import.meta.url));

interface BenchRecord {
  runtime: string;
  library: string;
  scenario: string;
  mode: string;
  value: number | string;
  unit: string;
  details: Record<string, number>;
  error?: string;
}

const expectedScenarios = ['apply', 'map', 'latency', 'cpu', 'clone', 'transfer', 'startup', 'memory', 'cold', 'import'];
const expectedLibraries = ['mp-thread', 'mp-process', 'piscina', 'tinypool', 'tinypool-c16', 'workerpool', 'poolifier', 'raw-unbatched', 'raw-batched'];

describe('pnpm bench --smoke', () => {
  it('runs every cell once and produces a sane record for each, plus the report and chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-bench-test-'));
    const out = join(dir, 'BENCHMARKS.md');
    const json = join(dir, 'records.json');
    await promisify(execFile)(process.execPath, [run, '--smoke', '--out', out, '--json', json], { timeout: 300_000 });

    const { records } = JSON.parse(readFileSync(json, 'utf8')) as { records: BenchRecord[] };
    const sane = (r: BenchRecord): boolean => r.error === undefined && typeof r.value === 'number' && Number.isFinite(r.value);
    const cells = new Map<string, BenchRecord[]>();
    for (const r of records) cells.set(`${r.library}/${r.scenario}`, [...(cells.get(`${r.library}/${r.scenario}`) ?? []), r]);
    // A transient failure is retried once by the runner; a cell with no sane record is a broken cell.
    const broken = [...cells].filter(([, rs]) => !rs.some(sane)).map(([key, rs]) => `${key}: ${rs[0]?.error ?? String(rs[0]?.value)}`);
    expect(broken).toEqual([]);

    expect(new Set(records.map((r) => r.scenario))).toEqual(new Set(expectedScenarios));
    for (const lib of expectedLibraries) expect(records.some((r) => r.library === lib)).toBe(true);
    expect(cells.size).toBeGreaterThanOrEqual(60);
    for (const r of records.filter(sane)) {
      expect(r).toMatchObject({ runtime: 'node', mode: 'smoke' });
      expect(typeof r.unit).toBe('string');
      expect(typeof r.details).toBe('object');
      if (r.unit !== 'MiB') expect(r.value).toBeGreaterThan(0);
    }

    const report = readFileSync(out, 'utf8');
    expect(report).toContain('## Targets (issues 3 and 14)');
    for (const letter of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) expect(report).toContain(`### (${letter})`);
    expect(report).toContain('](BENCHMARKS.svg)');
    expect(readFileSync(join(dir, 'BENCHMARKS.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });
});

// Deno, Bun and Chromium all come with the workspace (npm packages; tools/chromium.mjs finds a Chromium).
const otherRuntimes = ['deno', 'bun', 'chromium'];

describe(`pnpm bench --smoke --runtimes ${otherRuntimes.join(',')}`, () => {
  it('runs mp and the raw Worker baseline in each runtime and rewrites only the "Other runtimes" section', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-bench-runtimes-test-'));
    const out = join(dir, 'BENCHMARKS.md');
    const json = join(dir, 'records.runtimes.json');
    const before = '# mp benchmarks\n\nthe Node report\n\n<!-- runtimes:start -->\nstale\n<!-- runtimes:end -->\n\ntail\n';
    writeFileSync(out, before);
    await promisify(execFile)(process.execPath, [run, '--smoke', '--runtimes', otherRuntimes.join(','), '--out', out, '--runtimes-json', json], { timeout: 240_000 });

    const { records } = JSON.parse(readFileSync(json, 'utf8')) as { records: BenchRecord[] };
    const expectedCells = ['mp-thread/apply', 'raw-unbatched/apply', 'mp-thread/map', 'raw-batched/map', 'mp-thread/latency', 'raw-unbatched/latency'];
    for (const runtime of otherRuntimes) {
      const mine = records.filter((r) => r.runtime === runtime);
      const good = mine.filter((r) => r.error === undefined && typeof r.value === 'number' && Number.isFinite(r.value) && r.value > 0);
      expect(new Set(good.map((r) => `${r.library}/${r.scenario}`)), `${runtime}: ${mine.find((r) => r.error)?.error ?? ''}`).toEqual(new Set(expectedCells));
      for (const r of good) {
        expect(r).toMatchObject({ mode: 'smoke', unit: { apply: 'tasks/s', map: 'items/s', latency: 'µs/task' }[r.scenario] });
        expect(typeof r.details.ms).toBe('number');
      }
    }

    const report = readFileSync(out, 'utf8');
    expect(report.startsWith('# mp benchmarks\n\nthe Node report\n\n<!-- runtimes:start -->\n## Other runtimes')).toBe(true);
    expect(report.endsWith('<!-- runtimes:end -->\n\ntail\n')).toBe(true);
    expect(report).not.toContain('stale');
    for (const name of ['Deno', 'Bun', 'Chromium']) expect(report).toContain(`### ${name} `);
    expect(report.match(/\| \(a\) Per-task throughput, tasks\/s \|/g)).toHaveLength(otherRuntimes.length);
    expect(report.match(/\| \(b\) Map throughput, items\/s \|/g)).toHaveLength(otherRuntimes.length);
    expect(report.match(/\| \(c\) Latency, µs\/task \|/g)).toHaveLength(otherRuntimes.length);
  });
});
