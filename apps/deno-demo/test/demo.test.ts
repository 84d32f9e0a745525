/** Runs `pnpm demo:deno`'s program and checks what the seed's exercises must print. */
import { demoProblems } from '@mp/demo-kit/testing';

/** The part of Deno's API the test uses, typed here so that tsc and eslint check it without Deno's own type library. */
interface DenoTestApi {
  test(definition: { name: string; fn: () => Promise<void>; sanitizeOps?: boolean; sanitizeResources?: boolean }): void;
}
const Deno = (globalThis as unknown as { Deno: DenoTestApi }).Deno;

Deno.test({
  name: 'runs Q1–Q6 and shared state, and prints what the seed prints',
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const cwd = new URL('..', import.meta.url).pathname;
    const problems = await demoProblems({ command: process.execPath, args: ['run', '-A', '--no-prompt', 'src/main.ts'], cwd, processes: true });
    if (problems.length > 0) throw new Error(`the demo's output is not as expected:\n${problems.join('\n')}`);
  },
});
