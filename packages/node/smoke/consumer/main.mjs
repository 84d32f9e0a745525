// The consumer program of the packaging smoke test. pack-smoke.mjs copies it into an
// empty npm project that installed the packed @mp/core and @mp/node tarballs, and runs it.
// It prints one line per check and "SMOKE DONE" at the end; it exits non-zero on any mismatch.
import { fileURLToPath } from 'node:url';
import { Pool, Process, task, RemoteError } from '@mp/node';

const watchdog = setTimeout(() => {
  console.error('consumer: timed out after 90 s');
  process.exit(124);
}, 90_000);
watchdog.unref();

let failures = 0;
function check(label, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a === e) console.log(`ok   ${label}: ${a}`);
  else {
    failures++;
    console.log(`FAIL ${label}: got ${a}, expected ${e}`);
  }
}

// The import must come from this project's node_modules (the installed tarball), not a workspace.
const resolved = fileURLToPath(import.meta.resolve('@mp/node'));
const here = fileURLToPath(new URL('.', import.meta.url));
check('@mp/node resolves inside node_modules', resolved.startsWith(`${here}node_modules/@mp/node/`), true);

const cube = task(new URL('./tasks.mjs', import.meta.url), 'cube');

for (const context of ['thread', 'process']) {
  const pool = new Pool({ processes: 2, context });
  try {
    check(`${context}: pool.map(n => n*n)`, await pool.map((n) => n * n, [2, 4, 6, 8, 9]), [4, 16, 36, 64, 81]);
    check(`${context}: pool.map(task cube)`, await pool.map(cube, [1, 2, 3]), [1, 8, 27]);
    let error;
    try {
      await pool.apply(() => {
        throw new TypeError('boom');
      });
    } catch (e) {
      error = e;
    }
    check(`${context}: a throwing task rejects with RemoteError`, [error instanceof RemoteError, error?.remoteName, /boom/.test(String(error?.message))], [true, 'TypeError', true]);
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

console.log(`SMOKE DONE failures=${failures}`);
process.exitCode = failures === 0 ? 0 : 1;
