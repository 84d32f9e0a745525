/**
 * The demo's entry (`pnpm demo:deno`): the seed's exercises Q1–Q6 and shared
 * state, as @mp/demo-kit runs them, on Deno.
 */
import * as mp from '@mp/deno';
import { runDemo } from '@mp/demo-kit';

/** The parts of Deno's API the demo uses, typed here so that tsc and eslint check it without Deno's own type library. */
interface DenoApi {
  version: { deno: string };
  stdout: { writeSync(bytes: Uint8Array): number };
  memoryUsage(): { rss: number };
  exitCode: number;
}
const Deno = (globalThis as unknown as { Deno: DenoApi }).Deno;
const encoder = new TextEncoder();

await runDemo(mp, {
  adapter: '@mp/deno',
  name: 'Deno',
  version: Deno.version.deno,
  contexts: mp.denoRuntime.contexts,
  rss: () => Deno.memoryUsage().rss,
  write: (text) => Deno.stdout.writeSync(encoder.encode(text)),
  setExitCode: (code) => (Deno.exitCode = code),
});
