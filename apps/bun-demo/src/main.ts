/**
 * The demo's entry (`pnpm demo:bun`): the seed's exercises Q1–Q6 and shared
 * state, as @mp/demo-kit runs them, on Bun.
 */
import * as mp from '@mp/bun';
import { runDemo } from '@mp/demo-kit';

declare const Bun: { version: string };

await runDemo(mp, {
  adapter: '@mp/bun',
  name: 'Bun',
  version: Bun.version,
  contexts: mp.bunRuntime.contexts,
  rss: () => process.memoryUsage().rss,
  write: (text) => process.stdout.write(text),
  setExitCode: (code) => (process.exitCode = code),
});
