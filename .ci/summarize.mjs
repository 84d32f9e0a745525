// Sum the test runners' summary lines in a log and print "N passed, N failed":
//   vitest     "Tests  2 failed | 40 passed | 1 skipped (43)"
//   deno test  "ok | 51 passed | 0 failed | 1 ignored (3s)" or "FAILED | 4 passed | 1 failed (2s)"
//   bun test   " 12 pass" and " 0 fail" (two lines)
// Usage: node .ci/summarize.mjs LOG [COMMAND_EXIT_CODE]
// Exits non-zero if any test failed or the command itself failed (build/lint/typecheck).
import { readFileSync } from 'node:fs';

const [logPath, rcArg = '0'] = process.argv.slice(2);
if (!logPath) {
  console.error('usage: summarize.mjs LOG [EXIT_CODE]');
  process.exit(2);
}
const commandRc = Number(rcArg) || 0;

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;
const text = readFileSync(logPath, 'utf8').replace(ansi, '').replace(/\r/g, '\n');

let passed = 0;
let failed = 0;
let summaries = 0;
for (const line of text.split('\n')) {
  // bun, e.g. "@mp/bun:test:  94 pass" then "@mp/bun:test:  0 fail"
  const bun = /(?:^|:)\s+(\d+) (pass|fail)\s*$/.exec(line);
  if (bun && bun[1]) {
    if (bun[2] === 'pass') {
      summaries++;
      passed += Number(bun[1]);
    } else failed += Number(bun[1]);
    continue;
  }
  // vitest, e.g. "@mp/core:test:       Tests  2 failed | 40 passed | 1 skipped (43)";
  // deno, e.g. "@mp/deno:test: ok | 51 passed | 0 failed | 1 ignored (3s)"
  const m = /(?:^|[\s:])Tests\s{2,}(.*\d.*)\(\d+\)\s*$/.exec(line) ?? /(?:^|[\s:])(?:ok|FAILED) (\|.*\d (?:passed|failed).*)$/.exec(line);
  if (!m || !m[1]) continue;
  summaries++;
  for (const part of m[1].split('|')) {
    const p = /(\d+)\s+(passed|failed)\b/.exec(part);
    if (!p || !p[1]) continue;
    if (p[2] === 'passed') passed += Number(p[1]);
    else failed += Number(p[1]);
  }
}

if (summaries === 0) console.error('[ci] no test summary lines (vitest, deno, bun) found in the log');
if (commandRc !== 0 && failed === 0) console.error(`[ci] test command failed (exit ${commandRc}) without failing tests: build, lint or typecheck failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || commandRc !== 0 || summaries === 0 ? 1 : 0);
