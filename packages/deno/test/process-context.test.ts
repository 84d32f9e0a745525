/**
 * Deno's `'process'` context (child `deno` processes) seen from outside, in a
 * separate program: Q3's output order, and `permissions` becoming the child's
 * flags. The conformance suite runs the rest in this context.
 */
import { permissionFlags } from '../src/process-worker.ts';
import { Deno } from './deno-api.ts';

function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new Error(message);
}
const same = (actual: unknown, expected: unknown, message = ''): void =>
  ok(JSON.stringify(actual) === JSON.stringify(expected), `${message} expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);

const test = (name: string, fn: () => Promise<void>): void =>
  Deno.test({ name: `deno process context: ${name}`, fn, sanitizeOps: false, sanitizeResources: false });

test("Q3's order, and permissions narrow what child processes may do", async () => {
  const args = ['run', '--no-prompt', '--no-check', '--allow-read', '--allow-run', '--allow-env', 'test/fixtures/process-context.ts'];
  const out = await new Deno.Command(Deno.execPath(), { args, cwd: new URL('..', import.meta.url).pathname, stdout: 'piped', stderr: 'piped' }).output();
  const lines = new TextDecoder().decode(out.stdout).trim().split('\n');
  ok(out.code === 0, new TextDecoder().decode(out.stderr));
  same(lines, [
    'Hello from a child process 0',
    'Child process has terminated 0',
    'Hello from a child process 1',
    'Child process has terminated 1',
    // The program's own permissions (read, run, env) are passed on: the child reads, and loads a task module.
    'default read ok 49',
    // 'none' grants nothing: no read, so no dynamic import of a task module either.
    'none NotCapable RemoteError TypeError',
    'read 1 NotCapable 49',
    'read 2 read ok 49',
  ]);
});

test('permissionFlags: the flags each setting gives the child, and an unknown permission named', async () => {
  same(permissionFlags('none'), []);
  same(permissionFlags({ read: ['/a', '/b'], env: true, net: false, write: [] }), ['--allow-read=/a,/b', '--allow-env']);
  // This test runs under -A: 'inherit' passes every permission on.
  same(permissionFlags('inherit'), ['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import'].map((n) => `--allow-${n}`));
  let caught: unknown;
  try {
    permissionFlags({ hrtime: true } as never);
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof TypeError && /^permissions\.hrtime is not a Deno permission; the permissions are read, write/.test(caught.message), String(caught));
  // A bad value is named too (it gave a worker that failed to start in threads, and no permission in processes).
  const { Pool } = await import('../src/index.ts');
  for (const [value, shown] of [[5, '5'], ['yes', '"yes"'], [[5], '[5]']] as const) {
    for (const context of ['thread', 'process']) {
      let refused: unknown;
      try {
        new Pool({ processes: 1, context, permissions: { read: value } as never });
      } catch (error) {
        refused = error;
      }
      ok(refused instanceof TypeError && refused.message === `permissions.read must be 'inherit', true, false or a list of strings, got ${shown}`, String(refused));
    }
  }
});

test('isMainThread is false inside a child process', async () => {
  const { Pool, task } = await import('../src/index.ts');
  const check = task<() => boolean>(new URL('./fixtures/is-main.ts', import.meta.url), 'check');
  const pool = new Pool({ processes: 1, context: 'process' });
  try {
    ok((await pool.apply(check, [])) === false, 'isMainThread in a child process');
  } finally {
    await pool.terminate();
  }
});
