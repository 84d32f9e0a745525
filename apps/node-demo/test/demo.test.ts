/** Runs `pnpm demo`'s program and checks what the seed's exercises must print. */
import { expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { demoProblems } from '@mp/demo-kit/testing';

it('runs Q1–Q6 and shared state, and prints what the seed prints', async () => {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  expect(await demoProblems({ command: process.execPath, args: ['--import', 'tsx', main], processes: true })).toEqual([]);
}, 330_000);
