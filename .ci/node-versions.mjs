#!/usr/bin/env node
// The Node suites on the other Node versions users run (.ci/suites.mjs NODE_VERSIONS: 22, 24, 26),
// besides the machine's own Node that runs everything else. For each version:
//  1. its binary from the npm registry, as npm ships it (`npm pack node-<platform>-<arch>@V`, no
//     download from anywhere else), unpacked once into the git-ignored .tools/node-V/;
//  2. vitest, run by that Node in packages/node, against the built dist:
//       test/conformance-dist.test.ts  the conformance suite in both contexts (thread and process)
//       test/is-main-thread.test.ts    isMainThread in the main program and in both kinds of worker
//       test/output.test.ts            thread stdio (Node's port-ref flag on worker streams) and what
//                                      keeps a program alive
//       smoke/pack.smoke.test.ts       pack, npm install, and the Node consumer of the tarballs
//                                      (MP_SMOKE_RUNTIMES=node MP_SMOKE_LINT=0: the lint and the
//                                      other runtimes do not depend on the Node version)
//       test/task-modules.test.ts      the worker loads task modules by require() where Node has
//                                      require(esm), behind the load gate (load-gate.ts), and falls
//                                      back to import()
//     Left out as not depending on the Node version and long: the 41-moment terminate/exit stress
//     of the load gate and the seed-Q3 print-order programs (run on the machine's Node in
//     @mp/node#test). Together these cover the start-up code that leans on Node internals (the
//     stdio port-ref flag, require() of ES modules, process.getBuiltinModule).
// The versions run side by side (their tests mostly wait on workers), each version's output kept
// and printed whole, in order, framed by "[suite] node V" and "[suite-end] node V exit=N" lines,
// which .ci/summarize.mjs reads.
// Usage: node .ci/node-versions.mjs [VERSION…]   (the build must be done: turbo's task depends on it)
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_VERSIONS } from './suites.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const nodePackage = join(repo, 'packages', 'node');
const versions = process.argv.slice(2).length ? process.argv.slice(2) : NODE_VERSIONS;
const FILES = ['test/conformance-dist.test.ts', 'test/is-main-thread.test.ts', 'test/output.test.ts', 'smoke/pack.smoke.test.ts', 'test/task-modules.test.ts'];
/** Every test of FILES but the two long, version-independent ones named above. */
const TEST_FILTER = '^(?!.*(?:at 41 moments of the load|seed Q3))';

/** The Node binary of `version`, installed from the npm registry if it is not there yet. */
function install(version) {
  const dir = join(repo, '.tools', `node-${version}`);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin) && spawnSync(bin, ['-v'], { encoding: 'utf8' }).stdout.trim() === `v${version}`) return bin;
  const name = `node-${process.platform}-${process.arch}@${version}`;
  const tmp = mkdtempSync(join(tmpdir(), 'mp-node-'));
  try {
    const t0 = Date.now();
    const pack = spawnSync('npm', ['pack', name, '--pack-destination', tmp, '--silent', '--no-update-notifier'], { encoding: 'utf8' });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (pack.status !== 0 || !tgz) throw new Error(`npm pack ${name} failed (exit ${pack.status}): ${pack.stderr}`);
    const untar = spawnSync('tar', ['xzf', join(tmp, tgz), '-C', tmp], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`tar xzf ${tgz} failed: ${untar.stderr}`);
    mkdirSync(join(repo, '.tools'), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(tmp, 'package'), dir);
    const v = spawnSync(bin, ['-v'], { encoding: 'utf8' }).stdout?.trim();
    if (v !== `v${version}`) throw new Error(`${bin} -v printed ${JSON.stringify(v)}, expected v${version}`);
    console.error(`installed ${name} into .tools/node-${version} from the npm registry (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return bin;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs the Node suites with `bin`; resolves to vitest's exit code and everything it printed. */
function runSuites(bin) {
  // vitest as packages/node resolves it (a root devDependency).
  const vitest = join(createRequire(join(nodePackage, 'package.json')).resolve('vitest/package.json'), '..', 'vitest.mjs');
  const args = [vitest, 'run', ...FILES, '-t', TEST_FILTER];
  const env = {
    ...process.env,
    // Everything the tests start with `node` (the pack smoke's npm and consumer too) is this Node.
    PATH: `${join(bin, '..')}${delimiter}${process.env.PATH ?? ''}`,
    MP_SMOKE_RUNTIMES: 'node',
    MP_SMOKE_LINT: '0',
  };
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(bin, args, { cwd: nodePackage, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => resolve({ code: 1, output: `${output}${String(error)}\n` }));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** Installs `version` (one at a time: npm's cache) and runs its suites. */
let installing = Promise.resolve();
function runVersion(version) {
  const installed = installing.then(() => install(version));
  installing = installed.then(() => undefined, () => undefined);
  return installed.then(
    (bin) => runSuites(bin),
    (error) => ({ code: 1, output: `node ${version}: ${error instanceof Error ? error.message : String(error)}\n` }),
  );
}

const runs = versions.map((version) => [version, runVersion(version)]);
let failures = 0;
for (const [version, run] of runs) {
  const { code, output } = await run;
  console.log(`[suite] node ${version}`);
  process.stdout.write(output.endsWith('\n') || !output ? output : `${output}\n`);
  console.log(`[suite-end] node ${version} exit=${code}`);
  if (code !== 0) failures++;
}
// exitCode, not process.exit(): stdout is a pipe that turbo reads, and a write the pipe could not take at once
// (more than its 64 KiB) waits in Node's queue; process.exit() would drop it, cutting off the last version's
// output (its summary and [suite-end] line: CI counted node 26 as failed while every test had passed).
process.exitCode = failures ? 1 : 0;
