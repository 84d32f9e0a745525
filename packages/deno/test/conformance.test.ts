/**
 * The conformance suite, run by `deno test`, in both contexts (Web Workers and child `deno`
 * processes). Deno.test has no describe and no
 * per-test timeout: names carry their describe path, and each body races a timer.
 * Workers end on a later turn than terminate() returns, so the op and resource
 * sanitizers are off.
 */
import { runConformance } from '@mp/core/conformance';
import * as api from '../src/index.ts';
import { Deno } from './deno-api.ts';

const path: string[] = [];
const name = (test: string): string => [...path, test].join(' > ');

function withTimeout(body: () => Promise<void>, ms: number, test: string): () => Promise<void> {
  return async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${test}: timed out after ${ms} ms`)), ms);
    });
    try {
      await Promise.race([body(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

for (const context of ['thread', 'process'] as const) runConformance({
  runtime: 'deno',
  context,
  api,
  features: { resourceLimits: false, transferMoves: context === 'thread', sharedMemory: context === 'thread' },
  describe: (group, body) => {
    path.push(group);
    try {
      body();
    } finally {
      path.pop();
    }
  },
  it: (test, body, timeout = 60_000) =>
    Deno.test({ name: name(test), fn: withTimeout(body, timeout, test), sanitizeOps: false, sanitizeResources: false }),
  skip: (test, reason) => Deno.test({ name: `${name(test)} — skipped: ${reason}`, ignore: true, fn: () => {} }),
});
