// The Node consumer of the packaging smoke test: pack-smoke.mjs copies this directory into an
// empty npm project that installed the packed tarballs, and runs `node node.mjs`.
import process from 'node:process';
import * as mp from '@mp/node';
import { runChecks } from './checks.mjs';

const failures = await runChecks(mp, {
  runtime: 'node',
  contexts: ['thread', 'process'],
  taskModule: new URL('./tasks.mjs', import.meta.url),
  resolved: import.meta.resolve('@mp/node'),
});
process.exitCode = failures === 0 ? 0 : 1;
