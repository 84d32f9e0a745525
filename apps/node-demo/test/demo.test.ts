/** Runs `pnpm demo`'s program and checks what the seed's exercises must print. */
import { expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

it('runs Q1–Q6 and prints what the seed prints', async () => {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', main], { timeout: 120_000, maxBuffer: 1 << 24 }, (error, out) => {
      if (error?.killed) reject(new Error('the program did not end in time', { cause: error }));
      else resolve({ code: error ? Number(error.code) : 0, stdout: out });
    });
  });
  expect(code).toBe(0);
  const section = (n: number) => {
    const start = stdout.indexOf(`=== Q${n}.`);
    const end = stdout.indexOf('=== Q', start + 5);
    return stdout.slice(start, end === -1 ? undefined : end);
  };
  for (let n = 1; n <= 6; n++) expect(stdout).toContain(`=== Q${n}.`);
  expect(stdout.indexOf('=== Q1.')).toBeLessThan(stdout.indexOf('=== Q6.'));
  expect(section(1)).toMatch(/speedup \d+(\.\d+)?×/);
  expect(section(2)).toMatch(/worker threads/);
  expect(section(2)).toMatch(/child processes/);
  expect(section(4)).toMatch(/PoolWorker-1 \|/);
  const q3 = section(3).split('\n').filter((l) => l.includes('process'));
  expect(q3.slice(-2)).toEqual(['Hello from a child process', 'Child process has terminated']);
  expect(section(5)).toContain('[4, 16, 36, 64, 81]');
  const q6 = section(6).split('\n').filter((l) => /^\d+$/.test(l.trim()));
  expect([...q6].sort()).toEqual(['1', '2', '3', '4']);
  const shared = stdout.slice(stdout.indexOf('=== Shared state'));
  expect(shared).toMatch(/= 50,000 items, sum 1249975000 \(expected 1249975000\)/);
  expect(shared).toMatch(/with a Lock: +400,000\n/);
  expect(shared).toMatch(/no worker ran ahead/);
}, 150_000);
