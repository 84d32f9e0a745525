// The Bun consumer of the packaging smoke test: `bun run bun.mjs` in the npm project that
// installed the packed tarballs.
import process from 'node:process';
import * as mp from '@mp/bun';
import { runChecks } from './checks.mjs';

const failures = await runChecks(mp, {
  runtime: 'bun',
  contexts: ['thread', 'process'],
  // Bun runs a .ts task module directly.
  taskModule: new URL('./tasks.ts', import.meta.url),
  resolved: import.meta.resolve('@mp/bun'),
});
process.exitCode = failures === 0 ? 0 : 1;
