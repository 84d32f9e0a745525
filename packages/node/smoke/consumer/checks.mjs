// The checks every consumer of the packaging smoke test runs, whatever its runtime. Each
// consumer (node.mjs, deno.mjs, bun.mjs) imports its adapter from the project's node_modules
// (the installed tarballs) and hands the module here. One line per check, "SMOKE DONE" at the end.
import process from 'node:process';

/**
 * @param {Record<string, any>} mp the adapter's module (`import * as mp from '@mp/…'`)
 * @param {{ runtime: string, contexts: string[], taskModule: URL, resolved: string }} options
 * `taskModule`: the module `cube` is imported from by reference; `resolved`: the adapter's
 * resolved URL, which must lie in this project's node_modules.
 * @returns {Promise<number>} how many checks failed
 */
export async function runChecks(mp, { runtime, contexts, taskModule, resolved }) {
  const { Pool, Process, task, RemoteError, Value, Lock, Barrier } = mp;
  const watchdog = setTimeout(() => {
    console.error(`consumer (${runtime}): timed out after 40 s`);
    process.exit(124);
  }, 40_000);

  let failures = 0;
  const check = (label, actual, expected) => {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a === e) console.log(`ok   ${label}: ${a}`);
    else {
      failures++;
      console.log(`FAIL ${label}: got ${a}, expected ${e}`);
    }
  };

  // The import must come from this project's node_modules (the installed tarball), not a workspace.
  const home = new URL('./node_modules/', import.meta.url).href;
  check(`${runtime}: the adapter resolves inside node_modules`, resolved.startsWith(home), true);
  if (!resolved.startsWith(home)) console.log(`     resolved to ${resolved}`);

  const cube = task(taskModule, 'cube');
  const ext = taskModule.pathname.slice(taskModule.pathname.lastIndexOf('.'));

  for (const context of contexts) {
    const pool = new Pool({ processes: 2, context });
    try {
      check(`${context}: pool.map(n => n*n)`, await pool.map((n) => n * n, [2, 4, 6, 8, 9]), [4, 16, 36, 64, 81]);
      check(`${context}: pool.map(task cube from a ${ext} module)`, await pool.map(cube, [1, 2, 3]), [1, 8, 27]);
      let error;
      try {
        await pool.apply(() => {
          throw new TypeError('boom');
        });
      } catch (e) {
        error = e;
      }
      check(`${context}: a throwing task rejects with RemoteError`, [error instanceof RemoteError, error?.remoteName, /boom/.test(String(error?.message))], [true, 'TypeError', true]);

      if (context === 'thread') {
        // Shared memory: 2 workers, started together by a Barrier, each add 1 to a Value 20,000 times under a Lock.
        const counter = new Value('i32', 0);
        const lock = new Lock();
        const start = new Barrier(2, { timeout: 20_000 });
        const increment = (barrier, value, mutex, times) => {
          barrier.waitSync();
          for (let i = 0; i < times; i++) {
            mutex.acquireSync();
            value.value = value.value + 1;
            mutex.release();
          }
          return times;
        };
        const done = await Promise.all([pool.apply(increment, [start, counter, lock, 20_000]), pool.apply(increment, [start, counter, lock, 20_000])]);
        check(`${context}: Value += 1 under a Lock by 2 workers`, [done, counter.value], [[20_000, 20_000], 40_000]);
      }
      pool.close();
      await pool.join();
    } catch (e) {
      failures++;
      console.log(`FAIL ${context}: pool threw ${e?.stack ?? e}`);
      await pool.terminate();
    }

    const p = new Process({ target: (ctx) => console.log(`hello from a ${ctx} Process`), args: [context], context }).start();
    await p.join();
    check(`${context}: Process exitCode`, p.exitCode, 0);
  }

  clearTimeout(watchdog);
  console.log(`SMOKE DONE failures=${failures}`);
  return failures;
}
