/**
 * Task modules sent by reference, loaded by the built worker (dist/worker.cjs) through import(): what a task
 * sees of a module with top-level await, a CommonJS file, a module whose body throws, a missing file, a
 * module still being imported; and that ending workers mid-load never takes the program down.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { built, dist, type Api } from './built.ts';

type Pool = InstanceType<Api['Pool']>;

const { Pool, task } = built;
const fixture = (name: string): URL => new URL(`./fixtures/modules/${name}`, import.meta.url);
const run = promisify(execFile);

for (const context of ['thread', 'process'] as const) {
  describe(`task modules (${context})`, () => {
    let pool: Pool | undefined;
    const open = (): Pool => (pool = new Pool({ processes: 1, context }));
    afterEach(async () => {
      await pool?.terminate();
      pool = undefined;
    });

    it('are loaded by import() (never require(): see below), once per worker', async () => {
      const p = open();
      const evaluations = task<() => number>(fixture('counted.mjs'), 'evaluations');
      expect(await p.apply(task<() => string>(fixture('counted.mjs'), 'loadedBy'), [])).toBe('import');
      expect(await p.apply(evaluations, [])).toBe(1);
      expect(await p.apply(evaluations, [])).toBe(1);
    });

    it('may be imported while another is still importing them', async () => {
      const p = open();
      expect(await p.apply(task<() => boolean>(fixture('lazy.mjs'), 'started'), [])).toBe(true);
      // linked.mjs is still being imported by lazy.mjs.
      expect(await p.apply(task<() => number>(fixture('linked.mjs'), 'read'), [])).toBe(7);
    });

    it('may use top-level await', async () => {
      const p = open();
      expect(await p.apply(task<(x: number) => number>(fixture('top-level-await.mjs'), 'add'), [2])).toBe(42);
    });

    it("may be CommonJS, seen as import() sees it (module.exports is 'default')", async () => {
      const p = open();
      expect(await p.apply(task<(x: number) => number>(fixture('common.cjs'), 'default'), [21])).toBe(42);
    });

    it('that throw fail each task that calls them, the body evaluated once', async () => {
      const p = open();
      const fail = task<() => void>(fixture('throws.mjs'), 'anything');
      await expect(p.apply(fail, [])).rejects.toThrow('the module body failed');
      await expect(p.apply(fail, [])).rejects.toThrow('the module body failed');
      expect(await p.apply(() => (globalThis as { mpThrows?: number }).mpThrows, [])).toBe(1);
    });

    it("that are missing are reported in import()'s words", async () => {
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

// Node 20's require() of an ES module aborts the whole program when the worker is ended mid-load; this sweep
// caught that in about one run of three when the worker used require() for its first module (it no longer does).
describe('ending workers while they load a module graph', () => {
  it('never aborts the program (terminate() or process.exit() at 41 moments of the load)', async () => {
    const { stdout } = await run(process.execPath, [fileURLToPath(fixture('load-and-quit.mjs')), dist], { timeout: 120_000 });
    expect(stdout.trim()).toBe('ok');
  }, 150_000);
});
