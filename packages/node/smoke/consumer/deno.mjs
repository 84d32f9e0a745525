// The Deno consumer of the packaging smoke test: `deno run -A --no-prompt deno.mjs` in the npm
// project that installed the packed tarballs. Its deno.json says `"nodeModulesDir": "manual"`, so
// '@mp/deno' resolves from node_modules, as for a Deno user whose package manager is npm.
import process from 'node:process';
import * as mp from '@mp/deno';
import { runChecks } from './checks.mjs';

const failures = await runChecks(mp, {
  runtime: 'deno',
  contexts: ['thread'],
  // Deno runs a .ts task module directly.
  taskModule: new URL('./tasks.ts', import.meta.url),
  resolved: import.meta.resolve('@mp/deno'),
});
process.exitCode = failures === 0 ? 0 : 1;
