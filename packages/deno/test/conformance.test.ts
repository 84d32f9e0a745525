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

/** `body` with the shared-memory fast path turned off (`MP_FAST_PATH=0`, read when a pool starts). */
function fastPathOff(body: () => Promise<void>): () => Promise<void> {
  return async () => {
    Deno.env.set('MP_FAST_PATH', '0');
    try {
      await body();
    } finally {
      Deno.env.delete('MP_FAST_PATH');
    }
  };
}

// Threads twice: with the fast path (lanes in shared memory, core's internal/lane.ts) and without it, so both
// paths stay tested; child processes have no fast path.
for (const [context, fast] of [['thread', true], ['thread', false], ['process', true]] as const) runConformance({
  runtime: 'deno',
  context,
  api,
  features: { resourceLimits: false, transferMoves: context === 'thread', sharedMemory: context === 'thread' },
  describe: (group, body) => {
    path.push(fast ? group : `${group} (fast path off)`);
    try {
      body();
    } finally {
      path.pop();
    }
  },
  it: (test, body, timeout = 60_000) =>
    Deno.test({ name: name(test), fn: withTimeout(fast ? body : fastPathOff(body), timeout, test), sanitizeOps: false, sanitizeResources: false }),
  skip: (test, reason) => Deno.test({ name: `${name(test)} — skipped: ${reason}`, ignore: true, fn: () => {} }),
});
