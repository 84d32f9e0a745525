/**
 * The built worker (dist/worker.cjs) loads the first task module of its life with `require()`
 * of an ES module where Node offers it (20.19+), and every later one with `import()`. These
 * tests run the built package, since from `.ts` source the worker has no `require`; each pool
 * has one fresh worker, so which module comes first is known.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

type Api = typeof import('../src/index.ts');
type Pool = InstanceType<Api['Pool']>;

const dist = new URL('../dist/index.js', import.meta.url).href;
const { Pool, task } = (await import(dist)) as Api;
const fixture = (name: string): URL => new URL(`./fixtures/modules/${name}`, import.meta.url);
const run$ = promisify(execFile);
const requireEsm = (process.features as { require_module?: boolean }).require_module === true;

for (const context of ['thread', 'process'] as const) {
  describe(`the first task module (${context})`, () => {
    let pool: Pool | undefined;
    const open = (): Pool => (pool = new Pool({ processes: 1, context }));
    afterEach(async () => {
      await pool?.terminate();
      pool = undefined;
    });

    it('is loaded once, by require() where Node can; later modules by import()', async () => {
      const p = open();
      const loadedBy = task<() => string>(fixture('how-loaded.mjs'), 'loadedBy');
      const evaluations = task<() => number>(fixture('how-loaded.mjs'), 'evaluations');
      expect(await p.apply(loadedBy, [])).toBe(requireEsm ? 'require' : 'import');
      expect(await p.apply(evaluations, [])).toBe(1);
      // The same module under another URL is a second module, and no longer the first.
      const again = task<() => string>(new URL(`${fixture('how-loaded.mjs').href}?again`), 'loadedBy');
      expect(await p.apply(again, [])).toBe('import');
    });

    it('does not race an import() that the first module left running', async () => {
      const p = open();
      expect(await p.apply(task<() => boolean>(fixture('lazy.mjs'), 'started'), [])).toBe(true);
      // linked.mjs is still being imported by lazy.mjs: require() of it now would fail (or abort Node 20).
      expect(await p.apply(task<() => number>(fixture('linked.mjs'), 'read'), [])).toBe(7);
    });

    it('waits for a module with top-level await', async () => {
      const p = open();
      expect(await p.apply(task<(x: number) => number>(fixture('top-level-await.mjs'), 'add'), [2])).toBe(42);
    });

    it("sees a CommonJS module as import() does (module.exports is 'default')", async () => {
      const p = open();
      expect(await p.apply(task<(x: number) => number>(fixture('common.cjs'), 'default'), [21])).toBe(42);
    });

    it('reports an error thrown by the module body for each task, evaluating the body once', async () => {
      const p = open();
      const fail = task<() => void>(fixture('throws.mjs'), 'anything');
      await expect(p.apply(fail, [])).rejects.toThrow('the module body failed');
      await expect(p.apply(fail, [])).rejects.toThrow('the module body failed');
      expect(await p.apply(() => (globalThis as { mpThrows?: number }).mpThrows, [])).toBe(1);
    });

    it("reports a missing module in import()'s words", async () => {
      const p = open();
      const missing = task<() => void>(fixture('missing.mjs'), 'anything');
      const error = await p.apply(missing, []).then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string },
      );
      expect(error?.message).toMatch(/Cannot find module '.*missing\.mjs' imported from /);
      expect(error?.code).toBe('ERR_MODULE_NOT_FOUND');
    });
  });
}

describe('the first task module under module flags', () => {
  it('loads through import() when a flag could change what import() finds (here --import)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mp-first-module-'));
    const script = join(dir, 'main.mjs');
    await writeFile(
      script,
      `const { Pool, task } = await import(${JSON.stringify(dist)});
      const pool = new Pool({ processes: 1 });
      console.log(await pool.apply(task(new URL(${JSON.stringify(fixture('how-loaded.mjs').href)}), 'loadedBy'), []));
      await pool.terminate();`,
    );
    try {
      const run = async (flags: string[]): Promise<string> => (await run$(process.execPath, [...flags, script])).stdout.trim();
      expect(await run(['--import', 'data:text/javascript,0'])).toBe('import');
      expect(await run([])).toBe(requireEsm ? 'require' : 'import');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
