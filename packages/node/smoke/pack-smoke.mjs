#!/usr/bin/env node
// Packaging smoke test: what users get from the registry.
//  1. `pnpm pack` @mp/core and @mp/node (from their built dist) into a temp dir;
//  2. `publint` and `attw --profile esm-only` on each tarball (root devDeps, offline);
//  3. an empty npm project installs both tarballs, and consumer/main.mjs runs
//     Pool.map (thread and process contexts), a task() by reference, a RemoteError
//     and a Process that prints a line.
// Exits non-zero on any failure. Needs a prior build (`pnpm exec turbo run build`).
// Usage: node packages/node/smoke/pack-smoke.mjs [--keep]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const nodeDir = join(here, '..');
const repoRoot = join(nodeDir, '..', '..');
const coreDir = join(repoRoot, 'packages', 'core');
const keep = process.argv.includes('--keep');
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

function run(label, cmd, args, { cwd = work, timeout = 60_000, env = cleanEnv() } = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 32 << 20 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.error || r.status !== 0) {
    if (out) console.error(out);
    const why = r.error ? String(r.error) : `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}`;
    fail(`${label}: ${why} after ${secs}s`);
  }
  console.log(`[smoke] ${label}: ok (${secs}s)`);
  return { out, stdout: r.stdout ?? '' };
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
  for (const dir of [coreDir, nodeDir]) {
    if (!existsSync(join(dir, 'dist', 'index.js'))) fail(`${dir}/dist is missing: build first (pnpm exec turbo run build)`);
  }

  // 1. pack
  const pnpm = pnpmBin();
  const tarballs = {};
  for (const [name, dir] of [['@mp/core', coreDir], ['@mp/node', nodeDir]]) {
    const before = new Set(existsSync(packDir) ? readdirSync(packDir) : []);
    run(`pnpm pack ${name}`, pnpm, ['pack', '--pack-destination', packDir], { cwd: dir });
    const added = readdirSync(packDir).filter((f) => f.endsWith('.tgz') && !before.has(f));
    if (added.length !== 1) fail(`pnpm pack ${name} produced ${JSON.stringify(added)}`);
    tarballs[name] = join(packDir, added[0]);
  }

  // The packed manifests: no workspace: protocol left, and the peer range pins core's version.
  const core = readPackedManifest(tarballs['@mp/core']);
  const node = readPackedManifest(tarballs['@mp/node']);
  for (const m of [core, node]) {
    if (JSON.stringify(m).includes('workspace:')) fail(`${m.name}: packed package.json still has a workspace: range`);
  }
  const peer = node.peerDependencies?.['@mp/core'];
  console.log(`[smoke] packed ${core.name}@${core.version}, ${node.name}@${node.version} (peer @mp/core: ${JSON.stringify(peer)})`);
  if (peer !== `^${core.version}`) fail(`@mp/node's packed peer range for @mp/core is ${JSON.stringify(peer)}, expected "^${core.version}"`);
  if (node.dependencies?.['@mp/core']) fail('@mp/node must not list @mp/core in dependencies (it is a peer)');

  // 2. lint the tarballs
  for (const [name, tgz] of Object.entries(tarballs)) {
    const p = run(`publint ${name}`, tool('publint'), [tgz]);
    // publint exits 0 on warnings and suggestions; treat them as failures too.
    if (!/All good!/.test(p.out)) {
      console.error(p.out);
      fail(`publint ${name} reported warnings or suggestions`);
    }
    run(`attw ${name}`, tool('attw'), [tgz, '--profile', 'esm-only', '--format', 'ascii']);
  }

  // 3. install both tarballs into an empty project and run the consumer.
  cpSync(join(here, 'consumer'), appDir, { recursive: true });
  run('npm init -y', 'npm', ['init', '-y'], { cwd: appDir });
  const pkgPath = join(appDir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  writeFileSync(pkgPath, `${JSON.stringify({ ...pkg, private: true, type: 'module' }, null, 2)}\n`);
  run('npm install <tarballs>', 'npm', [
    'install', tarballs['@mp/core'], tarballs['@mp/node'],
    '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error',
  ], { cwd: appDir, timeout: 120_000 });

  const { stdout } = run('consumer main.mjs', process.execPath, ['main.mjs'], { cwd: appDir, timeout: 120_000 });
  process.stdout.write(`${stdout.trimEnd().replace(/^/gm, '  | ')}\n`);
  const needed = [
    'SMOKE DONE failures=0',
    'hello from a thread Process',
    'hello from a process Process',
  ];
  for (const line of needed) {
    if (!stdout.split('\n').includes(line)) fail(`consumer output lacks the line ${JSON.stringify(line)}`);
  }
  if (/^FAIL /m.test(stdout)) fail('consumer reported a failed check');

  console.log(`[smoke] PASS in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`[smoke] work dir kept: ${work}`);
} catch (error) {
  fail(error?.stack ?? String(error));
}
