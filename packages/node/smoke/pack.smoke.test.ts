/**
 * Packaging smoke test, run by vitest with the node package's other tests: packs
 * @mp/core and @mp/node from dist, lints the tarballs (publint, attw), installs them
 * into an empty npm project and runs a consumer there. See pack-smoke.mjs.
 * Needs a prior build; turbo's `test` task depends on `build`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('./pack-smoke.mjs', import.meta.url));

function runSmoke(): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

it('packed tarballs pass publint and attw, install with npm and work in a fresh project', async () => {
  const { code, signal, output } = await runSmoke();
  expect({ code, signal }, `pack-smoke.mjs failed:\n${output}`).toEqual({ code: 0, signal: null });
  expect(output).toMatch(/\[smoke\] PASS/);
}, 180_000);
