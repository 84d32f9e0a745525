/**
 * The demo's entry (`pnpm demo`): the seed's exercises Q1–Q6 and shared state,
 * as @mp/demo-kit runs them, on Node.
 */
import * as mp from '@mp/node';
import { runDemo } from '@mp/demo-kit';

// Measured on a 2-core machine: a thread pool answers its first task after ~25 ms under plain node, ~100 ms under tsx.
const underTsx = process.execArgv.some((flag) => flag.includes('tsx'));

await runDemo(mp, {
  adapter: '@mp/node',
  name: 'Node',
  version: process.version,
  contexts: mp.nodeRuntime.contexts,
  rss: () => process.memoryUsage().rss,
  write: (text) => process.stdout.write(text),
  setExitCode: (code) => (process.exitCode = code),
  q2Note: underTsx
    ? "worker threads inherit node's flags, so under tsx (as `pnpm demo` runs) each thread\nalso loads tsx, which is most of its start-up time and part of its memory"
    : undefined,
});
