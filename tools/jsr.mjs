/**
 * JSR, for Deno users: `@mp/core` and `@mp/deno` publish their TypeScript sources (each package's deno.json
 * names its exports and files; `jsr.workspace.json` at the root makes them one Deno workspace, so `@mp/deno`'s
 * `import … from '@mp/core'` becomes `jsr:@mp/core@^version` on publish, and core's NodeNext-style `./x.js`
 * imports are rewritten to `./x.ts`, with sloppy imports).
 *
 *   node tools/jsr.mjs sync      copy each package.json's version into its deno.json (after `changeset version`)
 *   node tools/jsr.mjs check     versions agree; `deno publish --dry-run` (offline) and the no-slow-types lint pass
 *   node tools/jsr.mjs publish   `deno publish` (needs a JSR token or an interactive login)
 *
 * `--allow-slow-types`: Deno 2.9.6's check of the type output it generates for `@mp/deno` fails on the
 * adapter's constructors (`super(...withDeno(options))` becomes `super(...([] as never[]))`, which does not
 * type-check, "You may have discovered a bug in Deno"); `deno lint`'s no-slow-types rule, run below, passes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const members = JSON.parse(readFileSync(`${repo}jsr.workspace.json`, 'utf8')).workspace;
const deno = `${repo}node_modules/.bin/deno`;
const config = ['--config', `${repo}jsr.workspace.json`];

function versions() {
  return members.map((member) => {
    const dir = `${repo}${member.replace(/^\.\//, '')}`;
    const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
    const denoJson = JSON.parse(readFileSync(`${dir}/deno.json`, 'utf8'));
    return { dir, manifest, denoJson };
  });
}

function run(args) {
  execFileSync(deno, args, { cwd: repo, stdio: 'inherit', env: { ...withoutForceColor(process.env), NO_COLOR: '1' } });
}

const command = process.argv[2];
if (command === 'sync') {
  for (const { dir, manifest, denoJson } of versions()) {
    if (denoJson.version === manifest.version) continue;
    denoJson.version = manifest.version;
    writeFileSync(`${dir}/deno.json`, `${JSON.stringify(denoJson, null, 2)}\n`);
    console.log(`${denoJson.name}: deno.json version ${manifest.version}`);
  }
} else if (command === 'check') {
  const wrong = versions().filter((v) => v.denoJson.name !== v.manifest.name || v.denoJson.version !== v.manifest.version);
  if (wrong.length > 0) {
    for (const { manifest, denoJson } of wrong) {
      console.error(`${manifest.name}@${manifest.version} (package.json) but ${denoJson.name}@${denoJson.version} (deno.json): run node tools/jsr.mjs sync`);
    }
    process.exit(1);
  }
  const dirs = members.map((m) => `${m}/src`);
  run(['lint', ...config, '--rules-tags=', '--rules-include=no-slow-types', ...dirs]);
  run(['publish', '--dry-run', '--allow-dirty', '--allow-slow-types', ...config]);
} else if (command === 'publish') {
  run(['publish', '--allow-slow-types', ...config]);
} else {
  console.error('usage: node tools/jsr.mjs sync|check|publish');
  process.exit(2);
}

/** Deno colours its output whenever FORCE_COLOR is set, even to 0 (as CI sets it), over NO_COLOR. */
function withoutForceColor(env) {
  const rest = { ...env };
  delete rest.FORCE_COLOR;
  return rest;
}
