/**
 * A private copy of mp's built packages for one benchmark run. mp is developed
 * while it is measured: a rebuild (tsup empties dist/ first) in the middle of a
 * run would fail cells or mix two builds in one table. Every cell imports the
 * copy taken when the run starts instead (see ./libraries/mp.mjs).
 */
import { cpSync, existsSync, mkdirSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The files each package's build must have written before it is copied. */
const REQUIRED = {
  core: ['dist/index.js', 'dist/worker.js', 'package.json'],
  node: ['dist/index.js', 'dist/worker.cjs', 'package.json'],
};

function complete(dir, name) {
  return REQUIRED[name].every((f) => existsSync(join(dir, f)));
}

/** Copies @mp/core and @mp/node (package.json + dist) under bench/results; returns what cells need to use it. */
export async function snapshotMp() {
  const live = { core: realpathSync(join(benchRoot, 'node_modules/@mp/core')), node: realpathSync(join(benchRoot, 'node_modules/@mp/node')) };
  // A build may be under way: wait (up to 30 s) until both dists are whole.
  for (let i = 0; i < 60 && !(complete(live.core, 'core') && complete(live.node, 'node')); i++) await new Promise((r) => setTimeout(r, 500));
  const dir = join(benchRoot, 'results', `.mp-snapshot-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  for (const [name, from] of Object.entries(live)) {
    const to = join(dir, 'node_modules/@mp', name);
    mkdirSync(to, { recursive: true });
    cpSync(join(from, 'package.json'), join(to, 'package.json'));
    cpSync(join(from, 'dist'), join(to, 'dist'), { recursive: true });
  }
  // core's own dependencies (comlink) resolve through its real node_modules; @mp/node finds the copied core.
  symlinkSync(join(live.core, 'node_modules'), join(dir, 'node_modules/@mp/core/node_modules'), 'dir');
  const builtAt = new Date(statSync(join(dir, 'node_modules/@mp/core/dist/index.js')).mtimeMs).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    dir,
    builtAt,
    /** The module cells import instead of '@mp/node'. */
    entry: pathToFileURL(join(dir, 'node_modules/@mp/node/dist/index.js')).href,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
