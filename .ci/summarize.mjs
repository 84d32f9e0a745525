// Read the log of `pnpm test:all` (turbo prefixes each line with `<package>:<task>: `), check that
// every suite CI expects (.ci/suites.mjs) ran and ended with its runner's summary, and print one
// line per suite, then the final line "N passed, N failed". Runner summaries read:
//   vitest     "Tests  2 failed | 40 passed | 1 skipped (43)", "Test Files  1 failed | 3 passed (4)",
//              "Errors  2 errors" (unhandled errors), "Tests  no tests"
//   deno test  "ok | 51 passed | 0 failed | 1 ignored (3s)" or "FAILED | 4 passed | 1 failed (2s)"
//              (an uncaught error outside a test is counted there as a failed test)
//   bun test   " 12 pass", " 1 skip", " 0 fail", " 1 error" (an unhandled error between tests)
// Besides failed tests, each of these counts as one failure of the suite (or more, as counted):
// unhandled errors; test files that failed outside any test (a beforeAll that throws, an import that
// fails, a browser that does not launch); a suite that printed no summary (did not run, crashed,
// killed); a suite that ran no tests; a task that exited with an error though its summary shows no
// failure; a test task replayed from turbo's cache instead of run; a listed suite that is missing,
// and a workspace `test` script nobody listed. A lint, typecheck or build task that failed counts
// as one failure too, and so does a failing command that none of this explains.
// Usage: node .ci/summarize.mjs LOG [COMMAND_EXIT_CODE] [--only <suite>[,<suite>…]]
//   --only: expect just these suites (a partial local run); no check of unlisted workspace scripts.
// Exits non-zero if anything failed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUITES } from './suites.mjs';

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args.splice(onlyAt, 2)[1] ?? '').split(',').filter(Boolean) : null;
const [logPath, rcArg = '0'] = args;
if (!logPath) {
  console.error('usage: summarize.mjs LOG [EXIT_CODE] [--only SUITE,…]');
  process.exit(2);
}
const commandRc = Number(rcArg) || 0;
const repo = fileURLToPath(new URL('..', import.meta.url));

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;
const text = readFileSync(logPath, 'utf8').replace(ansi, '').replace(/\r/g, '\n');

/**
 * @typedef {{ name: string, lines: number, passed: number, failed: number, skipped: number,
 *   summaries: number, testsFailed: number, filesFailed: number, errors: number, noTests: boolean,
 *   exit: number | null, ended: boolean, replayed: boolean, failures: string[], reasonFor?: string }} Suite
 */
/** @type {Map<string, Suite>} */
const suites = new Map();
const suite = (name) => {
  let s = suites.get(name);
  if (!s) {
    s = { name, lines: 0, passed: 0, failed: 0, skipped: 0, summaries: 0, testsFailed: 0, filesFailed: 0, errors: 0, noTests: false, exit: null, ended: false, replayed: false, failures: [] };
    suites.set(name, s);
  }
  return s;
};
/** Tasks turbo reported as failed (`<package>#<task>`). */
const failedTasks = new Set();
/** The sub-suite each task is in (`[suite] <name>` switches it). */
const current = new Map();

const num = (re, s) => {
  const m = re.exec(s);
  return m ? Number(m[1]) : 0;
};

for (const raw of text.split('\n')) {
  // turbo's own lines about a task: "@mp/node#test:  ERROR  command (…) exited (1)"
  const status = /^(\S+#\S+?):\s+ERROR\s+command .* exited \((\d+)\)/.exec(raw);
  if (status?.[1]) {
    failedTasks.add(status[1]);
    continue;
  }
  // turbo's closing "Failed:    //#lint, @mp/bench#test"
  const failedLine = /^\s*Failed:\s+(.*\S)\s*$/.exec(raw);
  if (failedLine?.[1] && failedLine[1].includes('#')) {
    for (const t of failedLine[1].split(/,\s*/)) failedTasks.add(t.trim());
    continue;
  }
  // a task's output: "@mp/core:test: <line>", "//:lint: <line>", "@mp/node:test:node-versions: <line>"
  const m = /^(\S+?):(\S+?):(?: (.*))?$/.exec(raw);
  if (!m || !m[1] || !m[2] || !m[1].startsWith('@') && m[1] !== '//') continue;
  const task = `${m[1]}#${m[2]}`;
  const line = m[3] ?? '';
  const marker = /^\[suite(-end)?\] (.+?)(?: exit=(-?\d+))?\s*$/.exec(line);
  if (marker?.[2]) {
    const name = `${task} > ${marker[2]}`;
    const s = suite(name);
    if (marker[1]) {
      s.ended = true;
      s.exit = Number(marker[3] ?? 1);
      current.delete(task);
    } else current.set(task, name);
    continue;
  }
  const s = suite(current.get(task) ?? task);
  s.lines++;
  if (/^cache hit(?:, replaying logs)?\b/.test(line) && /(^|:)test(?::|$)/.test(m[2])) s.replayed = true;

  // the name of a failed test, so the tail of a CI log says which one: vitest "  × name 12ms",
  // "FAIL  file > name"; bun "(fail) name [12.00ms]"; deno "name ... FAILED (12ms)"
  const vitestFail = /^\s*FAIL\s+(.+?)\s*$/.exec(line)?.[1];
  const failure =
    /^\s*[×✗]\s+(.+?)(?:\s+\d+ms)?\s*$/.exec(line)?.[1] ??
    vitestFail ??
    /^\s*\(fail\)\s+(.+?)(?:\s+\[[\d.]+m?s\])?\s*$/.exec(line)?.[1] ??
    /^(.+?) \.\.\. FAILED(?: \(.*\))?\s*$/.exec(line)?.[1];
  if (failure && s.failures.length < 12 && !s.failures.includes(failure)) s.failures.push(failure);
  // and the first error line printed under vitest's "FAIL  name" (its reason)
  if (vitestFail) s.reasonFor = vitestFail;
  else if (s.reasonFor && /^\s*\w*(Error|Exception)\b.*:|^\s*Error\b/.test(line)) {
    const at = s.failures.indexOf(s.reasonFor);
    if (at >= 0 && !s.failures[at].includes(' — ')) s.failures[at] += ` — ${line.trim().slice(0, 300)}`;
    s.reasonFor = undefined;
  }

  // bun: " 94 pass", " 2 skip", " 0 fail", " 1 error" / " 3 errors"
  const bun = /^\s*(\d+) (pass|skip|fail|errors?)\s*$/.exec(line);
  if (bun?.[1]) {
    const n = Number(bun[1]);
    if (bun[2] === 'pass') {
      s.summaries++;
      s.passed += n;
    } else if (bun[2] === 'skip') s.skipped += n;
    else if (bun[2] === 'fail') s.testsFailed += n;
    else s.errors += n;
    continue;
  }
  // vitest: "Test Files  1 failed | 5 passed (6)", "Tests  1 failed | 311 passed (312)", "Tests  no tests", "Errors  2 errors"
  const files = /^\s*Test Files\s{2,}(.*)$/.exec(line);
  if (files?.[1]) {
    s.filesFailed += num(/(\d+) failed/, files[1]);
    continue;
  }
  const tests = /^\s*Tests\s{2,}(.*)$/.exec(line);
  if (tests?.[1]) {
    s.summaries++;
    if (/no tests/.test(tests[1])) s.noTests = true;
    s.passed += num(/(\d+) passed/, tests[1]);
    s.testsFailed += num(/(\d+) failed/, tests[1]);
    s.skipped += num(/(\d+) skipped/, tests[1]) + num(/(\d+) todo/, tests[1]);
    continue;
  }
  const errors = /^\s*Errors\s{2,}(\d+) errors?/.exec(line);
  if (errors?.[1]) {
    s.errors += Number(errors[1]);
    continue;
  }
  // deno: "ok | 81 passed | 0 failed | 1 ignored (3m16s)", "FAILED | 0 passed | 4 failed (311ms)"
  const deno = /^(?:ok|FAILED) \|(.*\d (?:passed|failed).*)$/.exec(line);
  if (deno?.[1]) {
    s.summaries++;
    s.passed += num(/(\d+) passed/, deno[1]);
    s.testsFailed += num(/(\d+) failed/, deno[1]);
    s.skipped += num(/(\d+) ignored/, deno[1]);
  }
}

// The suites expected: the list, or --only. Every workspace package with a `test` script must be listed.
const problems = [];
let unlisted = 0;
const expected = only ?? SUITES;
if (!only) {
  const globs = (readFileSync(join(repo, 'pnpm-workspace.yaml'), 'utf8').match(/^packages:\n((?:\s+-.*\n)+)/m)?.[1] ?? '')
    .split('\n')
    .map((l) => l.replace(/^\s*-\s*/, '').replace(/['"]/g, '').trim())
    .filter(Boolean);
  const dirs = globs.flatMap((g) =>
    g.endsWith('/*') ? (existsSync(join(repo, g.slice(0, -2))) ? readdirSync(join(repo, g.slice(0, -2))).map((d) => join(g.slice(0, -2), d)) : []) : [g],
  );
  for (const dir of dirs) {
    const manifest = join(repo, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const script of Object.keys(pkg.scripts ?? {}).filter((k) => k === 'test' || k.startsWith('test:'))) {
      const task = `${pkg.name}#${script}`;
      if (!SUITES.some((e) => e === task || e.startsWith(`${task} > `))) {
        problems.push(`${task} (${dir}) is not listed in .ci/suites.mjs: CI does not know to expect it`);
        unlisted++;
      }
    }
  }
}

let passed = 0;
let failed = 0;
const rows = [];
const isTask = (name) => !name.includes(' > ');
const taskOf = (name) => name.split(' > ')[0];
for (const name of expected) {
  const s = suites.get(name);
  const why = [];
  let f;
  if (!s || (s.lines === 0 && !s.ended)) {
    f = 1;
    why.push('did not run (no output in the log)');
  } else {
    f = s.testsFailed + s.errors;
    if (s.testsFailed) why.push(`${s.testsFailed} failed`);
    if (s.errors) why.push(`${s.errors} unhandled error${s.errors > 1 ? 's' : ''}`);
    const outside = Math.max(0, s.filesFailed - s.testsFailed);
    if (outside) {
      f += outside;
      why.push(`${outside} test file${outside > 1 ? 's' : ''} failed outside any test (a hook, an import or a browser that did not start)`);
    }
    if (s.summaries === 0) {
      f += 1;
      why.push('printed no summary (did not finish: crashed, killed or failed to start)');
    } else if (s.passed === 0 && f === 0) {
      f += 1;
      why.push(s.noTests ? 'found no tests' : 'ran no tests');
    }
    if (s.replayed) {
      f += 1;
      why.push("replayed from turbo's cache, not run");
    }
    const exitedBadly = isTask(name) ? failedTasks.has(name) : s.exit !== 0;
    if (!isTask(name) && !s.ended) {
      f += 1;
      why.push('did not finish (no [suite-end] line)');
    } else if (exitedBadly && f === 0) {
      f += 1;
      why.push(`exited with an error${isTask(name) ? '' : ` (${s.exit})`} though no test failed`);
    }
    passed += s.passed;
  }
  failed += f;
  const counts = s ? `${s.passed} passed, ${f} failed${s.skipped ? `, ${s.skipped} skipped` : ''}` : `0 passed, ${f} failed`;
  rows.push([name, counts, why.join('; '), f > 0 && s ? s.failures : []]);
}
// Tasks with sub-suites: a failed task whose sub-suites all passed failed somewhere else (before the first).
for (const task of new Set(expected.filter((n) => !isTask(n)).map(taskOf))) {
  if (failedTasks.has(task) && rows.filter(([n]) => taskOf(n) === task).every(([, c]) => / 0 failed/.test(c))) {
    failed += 1;
    problems.push(`${task} exited with an error outside its suites`);
  }
}
// Non-test tasks that failed (lint, typecheck, build), and tasks that ran but are not expected.
for (const task of failedTasks) {
  if (expected.some((n) => taskOf(n) === task)) continue;
  if (/#test(?::|$)/.test(task) && only) continue;
  failed += 1;
  problems.push(`${task} failed`);
}
failed += unlisted;
if (commandRc !== 0 && failed === 0) {
  failed += 1;
  problems.push(`the test command failed (exit ${commandRc}) though no suite or task reported a failure`);
}

const width = Math.max(...rows.map(([n]) => n.length));
console.log('[ci] suites:');
for (const [name, counts, why] of rows) console.log(`[ci]   ${name.padEnd(width)}  ${counts}${why ? `  (${why})` : ''}`);
for (const [name, , , failures] of rows) for (const t of failures) console.log(`[ci] FAILED in ${name}: ${t}`);
for (const p of problems) console.log(`[ci] FAIL ${p}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || commandRc !== 0 ? 1 : 0;
