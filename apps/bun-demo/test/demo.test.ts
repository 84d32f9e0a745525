/** Runs `pnpm demo:bun`'s program and checks what the seed's exercises must print. */
import { expect, it } from 'bun:test';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

it('runs Q1–Q6 and prints what the seed prints', async () => {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    execFile(process.execPath, ['run', main], { timeout: 120_000, maxBuffer: 1 << 24 }, (error, out) => {
      if (error?.killed) reject(new Error('the program did not end in time', { cause: error }));
      else resolve({ code: error ? Number(error.code) : 0, stdout: out });
    });
  });
  expect(code).toBe(0);
  const section = (n: number): string => {
    const start = stdout.indexOf(`=== Q${n}.`);
    const end = stdout.indexOf('=== Q', start + 5);
    return stdout.slice(start, end === -1 ? undefined : end);
  };
  for (let n = 1; n <= 6; n++) expect(stdout).toContain(`=== Q${n}.`);
  expect(section(1)).toMatch(/speedup \d+(\.\d+)?×/);
  expect(section(2)).toMatch(/worker threads/);
  expect(section(2)).toMatch(/child processes/);
  expect(section(4)).toMatch(/PoolWorker-1 \|/);
  const q3 = section(3).split('\n').filter((l) => l.includes('process'));
  expect(q3.slice(-2)).toEqual(['Hello from a child process', 'Child process has terminated']);
  expect(section(5)).toContain('[4, 16, 36, 64, 81]');
  const q6 = section(6).split('\n').filter((l) => /^\d+$/.test(l.trim()));
  expect([...q6].sort()).toEqual(['1', '2', '3', '4']);
}, 150_000);
