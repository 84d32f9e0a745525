/**
 * The JSR side of a release stays publishable: `@mp/core` and `@mp/deno` pass Deno's offline publish checks
 * (`node tools/jsr.mjs check`: versions agree with package.json, the no-slow-types lint, and
 * `deno publish --dry-run` of the workspace in jsr.workspace.json).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

it('@mp/core and @mp/deno pass deno publish --dry-run (tools/jsr.mjs check)', async () => {
  const result = await new Promise<{ code: number; output: string }>((done) => {
    execFile(process.execPath, ['tools/jsr.mjs', 'check'], { cwd: repo, timeout: 180_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
  expect(result.output).toMatch(/Simulating publish of @mp\/core@/);
  expect(result.output).toMatch(/Simulating publish of @mp\/deno@/);
  if (result.code !== 0) expect.fail(result.output);
}, 200_000);
