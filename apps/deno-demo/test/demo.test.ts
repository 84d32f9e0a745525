/** Runs `pnpm demo:deno`'s program and checks what the seed's exercises must print. */
interface DenoTestApi {
  test(definition: { name: string; fn: () => Promise<void>; sanitizeOps?: boolean; sanitizeResources?: boolean }): void;
  execPath(): string;
  Command: new (
    command: string,
    options: { args: string[]; cwd: string; stdout: 'piped' },
  ) => { output(): Promise<{ code: number; stdout: Uint8Array }> };
}
const Deno = (globalThis as unknown as { Deno: DenoTestApi }).Deno;

function ok(value: unknown, message: string): void {
  if (!value) throw new Error(message);
}

Deno.test({
  name: 'runs Q1–Q6 and prints what the seed prints',
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const cwd = new URL('..', import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), { args: ['run', '-A', '--no-prompt', 'src/main.ts'], cwd, stdout: 'piped' }).output();
    // Deno colours printed numbers when FORCE_COLOR is set (CI sets FORCE_COLOR=0): compare plain text.
    // eslint-disable-next-line no-control-regex
    const stdout = new TextDecoder().decode(out.stdout).replace(/\u001b\[[0-9;]*m/g, '');
    ok(out.code === 0, `exit code ${out.code}`);
    const section = (n: number): string => {
      const start = stdout.indexOf(`=== Q${n}.`);
      const end = stdout.indexOf('=== Q', start + 5);
      return stdout.slice(start, end === -1 ? undefined : end);
    };
    for (let n = 1; n <= 6; n++) ok(stdout.includes(`=== Q${n}.`), `Q${n} heading`);
    ok(/speedup \d+(\.\d+)?×/.test(section(1)), 'Q1 speedup');
    ok(/worker threads/.test(section(2)), 'Q2 threads row');
    ok(/PoolWorker-1 \|/.test(section(4)), 'Q4 timeline');
    const q3 = section(3).split('\n').filter((l) => l.includes('process'));
    ok(q3.slice(-2).join('|') === 'Hello from a child process|Child process has terminated', `Q3: ${q3.join('|')}`);
    ok(section(5).includes('[4, 16, 36, 64, 81]'), 'Q5');
    const q6 = section(6).split('\n').filter((l) => /^\d+$/.test(l.trim()));
    ok([...q6].sort().join() === '1,2,3,4', `Q6: ${q6.join()}`);
  },
});
