/**
 * Conformance: the wire between worker and pool. Tasks post raw messages of
 * wrong shapes to the port mp uses, throw errors whose properties try
 * `__proto__`, `constructor` and getters, and return what cannot be cloned:
 * the pool rejects what it must, names it, never throws in the parent, and
 * keeps working.
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { RemoteError, WorkerExitError } from '../errors.js';
import { AssertionError, deepEqual, equal, ok, rejects, settlesWithin } from './assert.js';

/** Messages a task posts to its parent port: not mp's at all, or mp's types with the wrong shape. */
export const FOREIGN_MESSAGES: unknown[] = [null, 42, 'hello', [], {}, { type: 'bogus' }, { type: 7 }];
export const MALFORMED_MESSAGES: unknown[] = [
  { type: 'done', results: 'xx', ms: 'a' },
  { type: 'done', results: [null], ms: 1 },
  { type: 'uncaught', error: null },
  { type: 'initFailed', error: { name: 'Error', message: 'forged after ready' } },
  { type: 'rpc' },
  { type: 'targetDone', error: 5 },
];

export function wireSuite(h: Harness): void {
  const { Pool } = h.api;
  const context = h.context;

  h.describe('the wire between worker and pool', () => {
    h.it(`a task's own messages on mp's port (${FOREIGN_MESSAGES.length} kinds) are ignored; the task completes`, async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        const r = await settlesWithin(pool.apply(fx.postRaw, [FOREIGN_MESSAGES]), 15_000, 'a task posting foreign messages');
        ok(r.status === 'fulfilled', `the task completes (${r.status === 'rejected' ? String(r.reason) : ''})`);
        equal(await pool.apply(fx.squ, [3]), 9);
      } finally {
        await pool.terminate();
      }
    });

    h.it(`malformed messages of mp's types (${MALFORMED_MESSAGES.length} kinds) fail only the task that sent them, naming them; the pool goes on`, async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        for (const message of MALFORMED_MESSAGES) {
          const others = [pool.apply(fx.sleepThen, [5, 'a']), pool.apply(fx.sleepThen, [5, 'b'])];
          const r = await settlesWithin(pool.apply(fx.postRaw, [[message]]), 15_000, 'a task posting a malformed message');
          const what = JSON.stringify(message);
          if (r.status !== 'rejected') throw new AssertionError(`${what}: expected a rejection, got ${JSON.stringify(r.value)}`);
          const e = r.reason as Error & { cause?: Error };
          ok(WorkerExitError.isInstance(e), `${what}: WorkerExitError, got ${e.name}: ${e.message}`);
          ok(/sent a malformed '/.test(`${e.message} ${e.cause?.message ?? ''}`), `${what}: names the message: ${e.message}`);
          equal((await Promise.all(others)).join(), 'a,b', `${what}: other tasks complete`);
          equal(await pool.apply(fx.squ, [4]), 16, `${what}: the pool goes on`);
        }
        equal((await pool.map(fx.squ, [1, 2, 3])).join(), '1,4,9');
      } finally {
        await pool.terminate();
      }
    });

    h.it('an error whose properties try __proto__, constructor and getters arrives as a RemoteError, no pollution', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        const r = await settlesWithin(pool.apply(fx.throwHostile, []), 15_000, 'a hostile error');
        if (r.status !== 'rejected') throw new AssertionError('expected a rejection');
        const e = r.reason as RemoteError & Record<string, unknown>;
        ok(RemoteError.isInstance(e), `RemoteError, got ${e?.name}: ${e?.message}`);
        equal(e.message, 'hostile');
        equal(e.lazy, 'computed', 'a getter is read once, in the worker');
        ok(!('boom' in e), 'a throwing getter is left out');
        equal(typeof e.remoteName, 'string', 'remoteName stays a string');
        equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
        equal(typeof e.constructor, 'function', 'constructor is not replaced');
        equal(await pool.apply(fx.squ, [5]), 25);
      } finally {
        await pool.terminate();
      }
    });

    h.it('a thrown non-Error that cannot be cloned arrives as a RemoteError describing it', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        const r = await settlesWithin(pool.apply(fx.throwUncloneable, []), 15_000, 'an uncloneable throw');
        if (r.status !== 'rejected') throw new AssertionError('expected a rejection');
        ok(RemoteError.isInstance(r.reason), String(r.reason));
        equal(await pool.apply(fx.squ, [6]), 36);
      } finally {
        await pool.terminate();
      }
    });

    h.it("a map's result that cannot be cloned is named by its item's index in the input, whatever the chunks", async () => {
      const pool = new Pool({ processes: 2, context });
      try {
        const input = Array.from({ length: 10 }, (_, i) => i);
        for (const chunksize of [1, 3, 5]) {
          await rejects(pool.map((x: number) => (x === 7 ? Symbol('bad') : x), input, { chunksize }), RemoteError, /^the result\[7\] could not be cloned \(symbol\)/);
          await rejects(pool.starmap((x: number) => (x === 7 ? () => x : x), input.map((x) => [x]), { chunksize }), RemoteError, /^the result\[7\] could not be cloned \(function\)/);
        }
      } finally {
        await pool.terminate();
      }
    });

    h.it('a thrown revoked Proxy rejects its task with a RemoteError; the worker lives on', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        await rejects(
          pool.apply(() => {
            const { proxy, revoke } = Proxy.revocable({}, {});
            revoke();
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- a hostile value thrown on purpose
            throw proxy;
          }),
          RemoteError,
        );
        equal(await pool.apply(fx.squ, [3]), 9);
        equal(pool.stats().workers, 1);
      } finally {
        await pool.terminate();
      }
    });

    h.it("an AggregateError's errors cross with it, and a thrown bigint is described as one", async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        const aggregate = (await rejects(
          pool.apply(() => Promise.any([Promise.reject(new TypeError('a')), Promise.reject(new RangeError('b'))])),
          RemoteError,
        )) as RemoteError & { errors?: unknown[] };
        equal(aggregate.remoteName, 'AggregateError');
        const inner = aggregate.errors ?? [];
        deepEqual(inner.map((e) => `${(e as Error).name}: ${(e as Error).message}`), ['TypeError: a', 'RangeError: b']);
        deepEqual(((aggregate.cause as { errors?: unknown[] } | undefined)?.errors ?? []).length, 2);
        await rejects(
          pool.apply(() => {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- a non-Error thrown on purpose
            throw 10n;
          }),
          RemoteError,
          /^a non-Error value was thrown: 10n$/,
        );
      } finally {
        await pool.terminate();
      }
    });

    for (const [kind, where] of [['symbol', /result\.ok\[1\]\.s could not be cloned \(symbol\)/], ['weakmap', /result\[0\] could not be cloned \(WeakMap\)/], ['fn', /result\.deep\.fn could not be cloned \(function\)/]] as const) {
      h.it(`a result that cannot be cloned (${kind}) rejects naming where it sits; the pool goes on`, async () => {
        const pool = new Pool({ processes: 1, context });
        try {
          const r = await settlesWithin(pool.apply(fx.returnUncloneable, [kind]), 15_000, 'an uncloneable result');
          if (r.status !== 'rejected') throw new AssertionError(`expected a rejection, got ${JSON.stringify(r.value)}`);
          ok(RemoteError.isInstance(r.reason) && where.test((r.reason as Error).message), String(r.reason));
          equal(await pool.apply(fx.squ, [7]), 49);
        } finally {
          await pool.terminate();
        }
      });
    }
  });
}
