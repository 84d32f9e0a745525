/**
 * Task modules sent by reference, loaded by the built worker (dist/worker.cjs): the first module of a
 * worker's life through require() of an ES module where Node offers it (20.19+), every later one through
 * import(). What a task sees of a module with top-level await, a CommonJS file, a module whose body
 * throws, a missing file, a module still being imported; and that ending workers mid-load never takes
 * the program down (the load gate, src/load-gate.ts). These run the built package: from `.ts` source the
 * worker runs under tsx's loader hooks and always uses import().
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { built, dist, type Api } from './built.ts';

type Pool = InstanceType<Api['Pool']>;

const { Pool, task } = built;
const fixture = (name: string): URL => new URL(`./fixtures/modules/${name}`, import.meta.url);
const run = promisify(execFile);
const requireEsm = (process.features as { require_module?: boolean }).require_module === true;

for (const context of ['thread', 'process'] as const) {
  describe(`task modules (${context})`, () => {
    let pool: Pool | undefined;
    const open = (): Pool => (pool = new Pool({ processes: 1, context }));
    afterEach(async () => {
      await pool?.terminate();
      pool = undefined;
    });

    it('are loaded once per worker: the first by require() where Node can, later ones by import()', async () => {
      const p = open();
      const evaluations = task<() => number>(fixture('counted.mjs'), 'evaluations');
      expect(await p.apply(task<() => string>(fixture('counted.mjs'), 'loadedBy'), [])).toBe(requireEsm ? 'require' : 'import');
      expect(await p.apply(evaluations, [])).toBe(1);
      expect(await p.apply(evaluations, [])).toBe(1);
      // The same file under another URL is a second module, and no longer the first.
      const again = task<() => string>(new URL(`${fixture('counted.mjs').href}?again`), 'loadedBy');
      expect(await p.apply(again, [])).toBe('import');
    });

    it('are found where their path has a space or a percent sign (the URL decoded), the first still by require()', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'mp modules 100% '));
      try {
        const file = join(dir, 'counted.mjs');
        await writeFile(file, await readFile(fixture('counted.mjs'), 'utf8'));
        const p = open();
        expect(await p.apply(task<() => string>(pathToFileURL(file), 'loadedBy'), [])).toBe(requireEsm ? 'require' : 'import');
        expect(await p.apply(task<() => number>(pathToFileURL(file), 'evaluations'), [])).toBe(1);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('are loaded by import() once user code has run (a function sent by value came first)', async () => {
      const p = open();
      expect(await p.apply((x: number) => x + 1, [1])).toBe(2);
      expect(await p.apply(task<() => string>(fixture('counted.mjs'), 'loadedBy'), [])).toBe('import');
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

// Node 20's require() of an ES module aborts the whole program when a worker is ended while it links a module
// graph. This sweep caught an ungated require() in about one run of three (the window is narrow); the tests
// after it show the gate at work deterministically, with a module body that is still running.
describe('ending workers while they load a module graph', () => {
  it('never aborts the program (terminate() or process.exit() at 21 moments of the load)', async () => {
    const { stdout } = await run(process.execPath, [fileURLToPath(fixture('load-and-quit.mjs')), dist], { timeout: 300_000 });
    expect(stdout.trim()).toBe('ok');
  }, 330_000); // 42 programs in a row: about 10 s on a quiet machine; 41 moments (82 programs) took 230 s of the 300 s in full CI runs
});

describe.runIf(requireEsm)('the load gate (thread workers)', () => {
  let dir = '';
  let mark = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mp-gate-'));
    mark = join(dir, 'mark.txt');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A task module whose body writes 'started', runs for `ms` (forever if Infinity), then writes 'loaded'. */
  async function slowModule(ms: number): Promise<URL> {
    const file = join(dir, 'slow.mjs');
    await writeFile(
      file,
      `import { writeFileSync } from 'node:fs';
      writeFileSync(${JSON.stringify(mark)}, 'started');
      const until = Date.now() + ${Number.isFinite(ms) ? ms : 'Infinity'};
      while (Date.now() < until);
      writeFileSync(${JSON.stringify(mark)}, 'loaded');
      export const done = () => true;`,
    );
    return pathToFileURL(file);
  }
  const markNow = (): Promise<string> => readFile(mark, 'utf8').catch(() => '');
  async function untilStarted(): Promise<void> {
    while ((await markNow()) !== 'started') await new Promise((r) => setTimeout(r, 5));
  }

  it('terminate() waits for a require() under way to finish', async () => {
    const pool = new Pool({ processes: 1 });
    const call = pool.apply(task<() => boolean>(await slowModule(400), 'done'), []).catch((e: unknown) => e);
    await untilStarted();
    await pool.terminate();
    expect(await markNow()).toBe('loaded');
    await call;
  });

  it('terminate() still ends a worker whose module body never finishes (after the gate grace of 2 s)', async () => {
    const pool = new Pool({ processes: 1 });
    const call = pool.apply(task<() => boolean>(await slowModule(Infinity), 'done'), []).catch((e: unknown) => e);
    await untilStarted();
    const t0 = Date.now();
    await pool.terminate();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(await markNow()).toBe('started');
    expect(await call).toBeInstanceOf(built.PoolClosedError);
  }, 15_000);

  it('a program that exits during a require() exits once it is done', async () => {
    const slow = await slowModule(400);
    const script = join(dir, 'main.mjs');
    // The program exits as soon as it sees the module's load under way. On a loaded machine it may not look
    // within the load's 400 ms and see it done instead: it then exits with 3, and the test runs it again (a
    // CI run at 15313a2 waited 30 s for a program that had missed it and polled on).
    await writeFile(
      script,
      `import { readFileSync } from 'node:fs';
      const { Pool, task } = await import(${JSON.stringify(dist)});
      const pool = new Pool({ processes: 1 });
      pool.apply(task(new URL(${JSON.stringify(slow.href)}), 'done'), []).catch(() => {});
      const state = () => { try { return readFileSync(${JSON.stringify(mark)}, 'utf8'); } catch { return ''; } };
      setInterval(() => {
        const now = state();
        if (now === 'started') process.exit(0);
        if (now === 'loaded') process.exit(3);
      }, 5);`,
    );
    let exited = false;
    for (let attempt = 0; attempt < 5 && !exited; attempt++) {
      await writeFile(mark, '');
      exited = await run(process.execPath, [script], { timeout: 30_000 }).then(
        () => true,
        (error: { code?: unknown }) => {
          if (error.code === 3) return false;
          throw error;
        },
      );
    }
    expect(exited, 'the program never saw the load under way in 5 runs').toBe(true);
    expect(await markNow()).toBe('loaded');
  }, 120_000);
});

describe.runIf(requireEsm)('pools inside workers', () => {
  const nested = task<(dist: string, url: string) => Promise<string>>(fixture('nested.mjs'), 'nestedLoadedBy');
  for (const [context, expected] of [
    // A thread started by a thread is ended with its parent, without an 'exit' event: its gate starts closed.
    ['thread', 'import'],
    // A child process's main thread has its 'exit' event, and it closes the gates there.
    ['process', 'require'],
  ] as const) {
    it(`inside a ${context} worker, the first module loads by ${expected}()`, async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        // The outer worker's own first module is nested.mjs; the inner pool's worker loads counted.mjs first.
        expect(await pool.apply(nested, [dist, fixture('counted.mjs').href])).toBe(expected);
      } finally {
        await pool.terminate();
      }
    });
  }
});

describe('the first task module under module flags', () => {
  it('loads through import() when a flag could change what import() finds (here --import)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mp-first-module-'));
    const script = join(dir, 'main.mjs');
    await writeFile(
      script,
      `const { Pool, task } = await import(${JSON.stringify(dist)});
      const pool = new Pool({ processes: 1 });
      console.log(await pool.apply(task(new URL(${JSON.stringify(fixture('counted.mjs').href)}), 'loadedBy'), []));
      await pool.terminate();`,
    );
    try {
      const loadedBy = async (flags: string[]): Promise<string> => (await run(process.execPath, [...flags, script])).stdout.trim();
      expect(await loadedBy(['--import', 'data:text/javascript,0'])).toBe('import');
      expect(await loadedBy([])).toBe(requireEsm ? 'require' : 'import');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
