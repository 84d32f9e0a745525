#!/usr/bin/env node
// Packaging smoke test: what users get from the registry, under each runtime.
//  1. `pnpm pack` @mp/core, @mp/node, @mp/deno and @mp/bun (from their built dist) into a temp dir;
//  2. `publint` and `attw --profile esm-only` on each tarball (root devDeps, offline);
//  3. one empty npm project installs all the tarballs (comlink, @mp/core's dependency, comes from
//     the npm cache or registry), and a consumer per runtime runs there, importing its adapter from
//     node_modules: `node node.mjs`, `deno run -A --no-prompt --no-lock deno.mjs` (deno.json:
//     `"nodeModulesDir": "manual"`), `bun run bun.mjs`. Each runs consumer/checks.mjs: Pool.map,
//     a task() by reference, a RemoteError, a Value += 1 under a Lock by 2 workers, and a Process
//     that prints a line, in every context of its runtime.
// Prints "[smoke] <runtime> consumer (<command>): ok" per runtime; every consumer runs even if another fails.
// Exits non-zero on any failure. Needs a prior build (`pnpm exec turbo run build`).
// Usage: node packages/node/smoke/pack-smoke.mjs [--keep]
// Environment: MP_SMOKE_RUNTIMES=node,deno,bun (the consumers to run; all by default) and
// MP_SMOKE_LINT=0 (skip publint and attw). CI's runs on other Node versions (.ci/node-versions.mjs)
// use MP_SMOKE_RUNTIMES=node MP_SMOKE_LINT=0: what depends on the Node version is the pack, the
// install and the Node consumer; the tarballs' lint and the other runtimes are checked once.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const nodeDir = join(here, '..');
const repoRoot = join(nodeDir, '..', '..');
const coreDir = join(repoRoot, 'packages', 'core');
/** The packages packed, core first. packages/browser is left out for now. */
const packages = [
  ['@mp/core', coreDir],
  ['@mp/node', nodeDir],
  ['@mp/deno', join(repoRoot, 'packages', 'deno')],
  ['@mp/bun', join(repoRoot, 'packages', 'bun')],
];
const keep = process.argv.includes('--keep');
const runtimes = (process.env.MP_SMOKE_RUNTIMES || 'node,deno,bun').split(',').map((r) => r.trim());
const lint = process.env.MP_SMOKE_LINT !== '0';
const started = Date.now();

const work = mkdtempSync(join(tmpdir(), 'mp-pack-smoke-'));
const packDir = join(work, 'tarballs');
const appDir = join(work, 'app');

/** The environment for child tools: no npm_* variables inherited from a pnpm/npm script run. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || /^pnpm_/i.test(k) || k === 'PNPM_PACKAGE_NAME') continue;
    if (/^VITEST/.test(k) || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  // npm's update check is the only network access npm would otherwise make here.
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_update_notifier: 'false', ...extra };
}

function fail(message) {
  console.error(`[smoke] FAIL: ${message}`);
  console.error(`[smoke] work dir kept for inspection: ${work}`);
  process.exit(1);
}

/** Runs a command; returns what happened, never exits. */
function exec(cmd, args, { cwd = work, timeout = 60_000, env = cleanEnv() } = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 32 << 20 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const why = r.error ? String(r.error) : r.status !== 0 ? `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}` : null;
  return { ok: why === null, why, secs, out, stdout: r.stdout ?? '' };
}

/** Runs a command that must succeed: on failure prints its output and ends the smoke test. */
function run(label, cmd, args, options) {
  const r = exec(cmd, args, options);
  if (!r.ok) {
    if (r.out) console.error(r.out);
    fail(`${label}: ${r.why} after ${r.secs}s`);
  }
  console.log(`[smoke] ${label}: ok (${r.secs}s)`);
  return r;
}

/** A tool from the root devDependencies, or from PATH. */
function tool(name) {
  const local = join(repoRoot, 'node_modules', '.bin', name);
  return existsSync(local) ? local : name;
}

/** pnpm: $PNPM, else the first `pnpm` on PATH (turbo and `pnpm run` always have one there). */
function pnpmBin() {
  if (process.env.PNPM) return process.env.PNPM;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'pnpm'))) return join(dir, 'pnpm');
  }
  fail('pnpm not found on PATH (set PNPM=/path/to/pnpm)');
}

function readPackedManifest(tgz) {
  const r = spawnSync('tar', ['-xOzf', tgz, 'package/package.json'], { encoding: 'utf8' });
  if (r.status !== 0) fail(`cannot read package.json from ${tgz}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

try {
  for (const [name, dir] of packages) {
    if (!existsSync(join(dir, 'dist', 'index.js'))) fail(`${name}: ${dir}/dist is missing: build first (pnpm exec turbo run build)`);
  }

  // 1. pack
  const pnpm = pnpmBin();
  const tarballs = {};
  for (const [name, dir] of packages) {
    const before = new Set(existsSync(packDir) ? readdirSync(packDir) : []);
    run(`pnpm pack ${name}`, pnpm, ['pack', '--pack-destination', packDir], { cwd: dir });
    const added = readdirSync(packDir).filter((f) => f.endsWith('.tgz') && !before.has(f));
    if (added.length !== 1) fail(`pnpm pack ${name} produced ${JSON.stringify(added)}`);
    tarballs[name] = join(packDir, added[0]);
  }

  // The packed manifests: no workspace: protocol left, and each adapter's peer range pins core's version.
  const manifests = Object.fromEntries(Object.entries(tarballs).map(([name, tgz]) => [name, readPackedManifest(tgz)]));
  const core = manifests['@mp/core'];
  for (const m of Object.values(manifests)) {
    if (JSON.stringify(m).includes('workspace:')) fail(`${m.name}: packed package.json still has a workspace: range`);
  }
  for (const [name, m] of Object.entries(manifests)) {
    if (name === '@mp/core') continue;
    const peer = m.peerDependencies?.['@mp/core'];
    console.log(`[smoke] packed ${m.name}@${m.version} (peer @mp/core: ${JSON.stringify(peer)})`);
    if (peer !== `^${core.version}`) fail(`${name}'s packed peer range for @mp/core is ${JSON.stringify(peer)}, expected "^${core.version}"`);
    if (m.dependencies?.['@mp/core']) fail(`${name} must not list @mp/core in dependencies (it is a peer)`);
  }
  console.log(`[smoke] packed ${core.name}@${core.version} (dependencies: ${JSON.stringify(core.dependencies ?? {})})`);

  // 2. lint the tarballs
  for (const [name, tgz] of lint ? Object.entries(tarballs) : []) {
    const p = run(`publint ${name}`, tool('publint'), [tgz]);
    // publint exits 0 on warnings and suggestions; treat them as failures too.
    if (!/All good!/.test(p.out)) {
      console.error(p.out);
      fail(`publint ${name} reported warnings or suggestions`);
    }
    run(`attw ${name}`, tool('attw'), [tgz, '--profile', 'esm-only', '--format', 'ascii']);
  }

  // 3. one empty project installs every tarball; Deno reads it through deno.json's nodeModulesDir.
  cpSync(join(here, 'consumer'), appDir, { recursive: true });
  run('npm init -y', 'npm', ['init', '-y'], { cwd: appDir });
  const pkgPath = join(appDir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  writeFileSync(pkgPath, `${JSON.stringify({ ...pkg, private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(appDir, 'deno.json'), `${JSON.stringify({ nodeModulesDir: 'manual' }, null, 2)}\n`);
  run('npm install <tarballs>', 'npm', [
    'install', ...Object.values(tarballs),
    '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error',
  ], { cwd: appDir, timeout: 120_000 });

  // 4. a consumer per runtime; each runs even if an earlier one failed.
  const hello = (context) => `hello from a ${context} Process`;
  const consumers = [
    { runtime: 'node', cmd: process.execPath, args: ['node.mjs'], contexts: ['thread', 'process'] },
    { runtime: 'deno', cmd: tool('deno'), args: ['run', '-A', '--no-prompt', '--no-lock', 'deno.mjs'], contexts: ['thread'] },
    { runtime: 'bun', cmd: tool('bun'), args: ['run', 'bun.mjs'], contexts: ['thread', 'process'] },
  ];
  const env = cleanEnv({ DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1' });
  const failed = [];
  for (const { runtime, cmd, args, contexts } of consumers.filter((c) => runtimes.includes(c.runtime))) {
    const r = exec(cmd, args, { cwd: appDir, timeout: 60_000, env });
    const lines = r.stdout.split('\n');
    const missing = ['SMOKE DONE failures=0', ...contexts.map(hello)].filter((line) => !lines.includes(line));
    const problems = [
      ...(r.ok ? [] : [r.why]),
      ...(/^FAIL /m.test(r.stdout) ? ['a check failed'] : []),
      ...missing.map((line) => `no line ${JSON.stringify(line)}`),
    ];
    console.log(`[smoke] ${runtime} consumer (${[cmd.split('/').pop(), ...args].join(' ')}): ${problems.length ? `FAIL: ${problems.join('; ')}` : 'ok'} (${r.secs}s)`);
    const shown = problems.length ? r.out : r.stdout.trimEnd();
    if (shown) process.stdout.write(`${shown.replace(/^/gm, '  | ')}\n`);
    if (problems.length) failed.push(runtime);
  }
  if (failed.length) fail(`consumer failed under ${failed.join(', ')}`);

  if (!lint) console.log('[smoke] publint and attw skipped (MP_SMOKE_LINT=0)');
  console.log(`[smoke] PASS (${runtimes.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`[smoke] work dir kept: ${work}`);
} catch (error) {
  fail(error?.stack ?? String(error));
}
