/** Conformance: `Process` and the process-wide helpers (API.md sections 2 and 6). */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { RemoteError } from '../errors.js';
import { Manager } from '../sync/manager.js';
import { deepEqual, equal, ok, rejects, settlesWithin, throws, delay, rejectsAtCall } from './assert.js';

export function processSuite(h: Harness): void {
  const { Process } = h.api;
  const context = h.context;

  h.describe('Process', () => {
    h.it('runs a by-value target with args and ends with exitCode 0', async () => {
      const p = new Process({ target: (a: number, b: number) => a + b, args: [1, 2], context });
      equal(p.exitCode, null);
      equal(p.isAlive(), false);
      equal(p.start(), p);
      ok(p.isAlive(), 'alive after start');
      ok(typeof p.pid === 'number', 'pid is a number');
      await p.join();
      equal(p.exitCode, 0);
      equal(p.isAlive(), false);
      equal(p.error, undefined);
    });

    h.it('runs a by-reference target and awaits an async one', async () => {
      const p = new Process({ target: fx.sleepThen, args: [30, 'x'], context }).start();
      await p.join();
      equal(p.exitCode, 0);
    });

    h.it('an uncaught error gives exitCode 1 and error as a RemoteError', async () => {
      const p = new Process({ target: fx.fail, args: ['nope', { code: 'E_NOPE' }], context }).start();
      await p.join();
      equal(p.exitCode, 1);
      ok(p.error instanceof RemoteError, 'error is a RemoteError');
      equal(p.error.remoteName, 'RangeError');
      equal(p.error.message, 'nope');
      equal((p.error as unknown as { code: string }).code, 'E_NOPE');
    });

    h.it('a rejected async target counts as an uncaught error', async () => {
      const p = new Process({
        target: async () => {
          await Promise.resolve();
          throw new TypeError('late');
        },
        context,
      }).start();
      await p.join();
      equal(p.exitCode, 1);
      equal(p.error?.remoteName, 'TypeError');
    });

    h.it('a child that ends itself with exit(n) is noticed with exitCode n', async () => {
      const p = new Process({ target: fx.exitWith, args: [7], context }).start();
      await settlesWithin(p.join(), 10_000, 'join');
      equal(p.exitCode, (h.features.exitCodes ?? true) ? 7 : 0);
    });

    h.it('terminate() gives -15 and kill() gives -9', async () => {
      const a = new Process({ target: fx.spin, context }).start();
      const b = new Process({ target: fx.sleep, args: [60_000], context }).start();
      await delay(50);
      ok(a.isAlive() && b.isAlive(), 'both alive');
      await a.terminate();
      await b.kill();
      equal(a.exitCode, -15);
      equal(b.exitCode, -9);
      equal(a.isAlive(), false);
    });

    if (context === 'process') {
      h.it('terminate() of a child process that handles SIGTERM: its own exit code if it then exits, killed (-9) if it stays; terminate() settles either way', async () => {
        const manager = await Manager.start();
        try {
          const ready = await manager.Queue<string>();
          // By value, so self-contained: a SIGTERM handler that exits with 5 soon after, or does nothing.
          const handler = async (stay: boolean, q: { put(v: string): Promise<void> }): Promise<void> => {
            const g = globalThis as unknown as {
              Deno?: { exit(code: number): never; addSignalListener(signal: string, fn: () => void): void };
              process?: { exit(code: number): never; on(signal: string, fn: () => void): void };
            };
            const exit = (code: number): void => void (g.Deno ? g.Deno.exit(code) : g.process!.exit(code));
            const onTerm = (): void => void (stay || setTimeout(() => exit(5), 50));
            if (g.Deno) g.Deno.addSignalListener('SIGTERM', onTerm);
            else g.process!.on('SIGTERM', onTerm);
            await q.put('ready');
            await new Promise(() => setInterval(() => {}, 1000));
          };
          const exits = new Process({ target: handler, args: [false, ready], context }).start();
          const stays = new Process({ target: handler, args: [true, ready], context }).start();
          await ready.get();
          await ready.get();
          // Deno's child processes (its node:child_process) end on SIGTERM, handler or not, reported as (null, 'SIGTERM').
          const deno = h.runtime === 'deno';
          await settlesWithin(exits.terminate(), 10_000, 'terminate() of a child that exits on SIGTERM');
          equal(exits.exitCode, deno ? -15 : 5);
          await settlesWithin(stays.terminate(), 20_000, 'terminate() of a child that ignores SIGTERM');
          equal(stays.exitCode, deno ? -15 : -9);
          equal(stays.isAlive(), false);
        } finally {
          await manager.shutdown();
        }
      }, 40_000);
    }

    h.it("a timeout past setTimeout's limit (2^31-1 ms) does not fire early: join(timeout) and a pool task's timeout", async () => {
      const big = 2 ** 31 + 1000;
      const p = new Process({ target: fx.sleepThen, args: [300, 'x'], context }).start();
      const t0 = Date.now();
      await p.join(big);
      ok(Date.now() - t0 >= 250, `join(${big}) returned after ${Date.now() - t0} ms`);
      equal(p.exitCode, 0);
      const pool = new h.api.Pool({ processes: 1, context });
      try {
        equal(await pool.apply(fx.sleepThen, [300, 'y'], { timeout: big }), 'y');
      } finally {
        await pool.terminate();
      }
    });

    h.it('join(timeout) resolves with the child still alive', async () => {
      const p = new Process({ target: fx.sleep, args: [60_000], context }).start();
      const t0 = Date.now();
      await p.join(100);
      ok(Date.now() - t0 >= 90, 'waited about the timeout');
      ok(p.isAlive(), 'still alive');
      equal(p.exitCode, null);
      await p.kill();
    });

    h.it('name, daemon and currentProcess()/parentProcess() inside the child', async () => {
      await using manager = await Manager.start();
      const seen = await manager.dict<string, { name: string; pid: number } | null>();
      const p = new Process({ target: fx.whoamiInto, args: [seen], name: 'worker-7', daemon: true, context });
      equal(p.name, 'worker-7');
      equal(p.daemon, true);
      equal(new Process({ target: fx.squ, context }).daemon, false);
      ok(/^Process-\d+$/.test(new Process({ target: fx.squ, context }).name), 'default name Process-N');
      p.start();
      await p.join();
      equal(p.exitCode, 0);
      const main = h.api.currentProcess();
      equal(main.name, 'MainProcess');
      equal(h.api.parentProcess(), null);
      equal(h.api.isMainThread, true);
      // What the child's own currentProcess() and parentProcess() said.
      const self = await seen.get('self');
      const parent = await seen.get('parent');
      equal(self?.name, 'worker-7', "the child's currentProcess().name");
      equal(self?.pid, p.pid, "the child's currentProcess().pid");
      equal(parent?.name, 'MainProcess', "the child's parentProcess().name");
      equal(parent?.pid, main.pid, "the child's parentProcess().pid");
      if (context === 'process') ok(self?.pid !== main.pid, `a 'process' child is another OS process (pid ${self?.pid}, parent ${main.pid})`);
    });

    h.it('a child reports its own name and its parent to the code it runs', async () => {
      const pool = new h.api.Pool({ processes: 1, context });
      try {
        const who = (await pool.apply(fx.whoami, [])) as { self: { name: string; pid: number }; parent: { name: string; pid: number } };
        ok(/^PoolWorker-\d+$/.test(who.self.name), `pool worker name, got ${who.self.name}`);
        equal(who.parent.name, 'MainProcess');
        equal(who.parent.pid, h.api.currentProcess().pid);
        if (context === 'process') ok(who.self.pid !== who.parent.pid, `a 'process' pool worker is another OS process (pid ${who.self.pid})`);
      } finally {
        await pool.terminate();
      }
    });

    h.it('activeChildren() lists started children until they end', async () => {
      const p = new Process({ target: fx.sleep, args: [60_000], context }).start();
      ok(h.api.activeChildren().includes(p), 'listed while alive');
      await p.kill();
      ok(!h.api.activeChildren().includes(p), 'gone once ended');
    });

    h.it('a captured variable fails with a RemoteError naming it and pointing to task()', async () => {
      // An object, not a literal: a transpiler may inline a constant number.
      const outsideValue = { n: 41 };
      const p = new Process({ target: () => outsideValue.n + 1, context }).start();
      await p.join();
      equal(p.exitCode, 1);
      ok(p.error instanceof RemoteError);
      ok(p.error.message.includes('outsideValue'), `names the variable: ${p.error.message}`);
      ok(p.error.message.includes('task('), `points to task(): ${p.error.message}`);
    });

    h.it('start() twice throws; join() before start() rejects', async () => {
      const p = new Process({ target: fx.squ, args: [2], context });
      await rejectsAtCall(() => p.join(), Error, /before start/);
      p.start();
      throws(() => p.start(), Error, /already started/);
      await p.join();
    });

    h.it('cpuCount() is a positive integer', async () => {
      const n = h.api.cpuCount();
      ok(Number.isInteger(n) && n >= 1, `cpuCount ${n}`);
      await Promise.resolve();
    });

    h.it('args are cloned: the child gets a copy of nested data', async () => {
      const pool = new h.api.Pool({ processes: 1, context });
      try {
        const value = { a: [1, 2, { b: 'c' }], d: new Date(0), m: new Map([[1, 2]]) };
        const back = await pool.apply(fx.echo, [value]);
        deepEqual((back as typeof value).a, value.a);
        ok((back as typeof value).d instanceof Date, 'Date survives');
        equal((back as typeof value).m.get(1), 2);
        await rejects(Promise.reject(new Error('x')), Error, /x/);
      } finally {
        await pool.terminate();
      }
    });
  });
}
