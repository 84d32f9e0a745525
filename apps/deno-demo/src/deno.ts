/**
 * The parts of Deno's API the demo uses, typed here so that tsc and eslint
 * check the demo without Deno's own type library.
 */
interface DenoApi {
  version: { deno: string };
  stdout: { writeSync(bytes: Uint8Array): number };
  memoryUsage(): { rss: number };
  exitCode: number;
}

export const Deno = (globalThis as unknown as { Deno: DenoApi }).Deno;
