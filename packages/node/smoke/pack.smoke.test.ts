/**
 * Packaging smoke test, run by vitest with the node package's other tests: packs
 * @mp/core, @mp/node, @mp/deno and @mp/bun from dist, lints the tarballs (publint,
 * attw), installs them all into one empty npm project and runs a consumer there
 * under Node, Deno and Bun. See pack-smoke.mjs. The script runs once; each test
 * reads its own part of the output.
 * Needs a prior build; turbo's `test` task depends on `build` (of this package's
 * dependencies only: build all with `pnpm exec turbo run build`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./pack-smoke.mjs', import.meta.url));
/** The consumers pack-smoke.mjs runs (MP_SMOKE_RUNTIMES; all three unless CI's Node-versions run narrows it). */
const runtimes = (process.env.MP_SMOKE_RUNTIMES || 'node,deno,bun').split(',').map((r) => r.trim());

interface Smoke {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function runSmoke(): Promise<Smoke> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Normally about 10 s; each consumer has its own 60 s limit inside the script.
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

let smoke: Smoke;
beforeAll(async () => {
  smoke = await runSmoke();
}, 250_000);

it('packs @mp/core, @mp/node, @mp/deno and @mp/bun; publint and attw pass; npm installs them into one empty project', () => {
  expect(smoke.output, `pack-smoke.mjs failed:\n${smoke.output}`).toMatch(/^\[smoke\] npm install <tarballs>: ok/m);
});

it.each(runtimes)('the %s consumer runs from the installed tarballs', (runtime) => {
  expect(smoke.output, `pack-smoke.mjs, ${runtime} consumer:\n${smoke.output}`).toMatch(new RegExp(`^\\[smoke\\] ${runtime} consumer \\(.*\\): ok `, 'm'));
});

it('the smoke script passes as a whole', () => {
  const { code, signal, output } = smoke;
  expect({ code, signal }, `pack-smoke.mjs failed:\n${output}`).toEqual({ code: 0, signal: null });
  expect(output).toMatch(/^\[smoke\] PASS/m);
});
