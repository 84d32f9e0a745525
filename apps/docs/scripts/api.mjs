/**
 * Generates the API reference (src/api/, ignored by git) from the TSDoc of every public package: each
 * `packages/<name>/package.json` whose package is not private, each entry of its `exports` map mapped back to
 * its source file (`./dist/x.js` → `src/x.ts`). A package added under packages/ appears without a change here.
 *
 * TypeDoc reads the sources, not the built `dist`: `@mp/*` imports are mapped to source files through a
 * generated tsconfig (`paths`), so an adapter's `export * from '@mp/core'` links to core's pages instead of
 * repeating them. A public export without TSDoc is an error: the build fails and names it.
 *
 * Usage: node scripts/api.mjs [--out DIR]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Converter, ReflectionKind } from 'typedoc';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(docs, '../..');
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(docs, 'src/api');

/** Every public package under packages/ with its exported entry points, as source files. */
export function publicPackages() {
  const packagesDir = join(repo, 'packages');
  const found = [];
  for (const dir of readdirSync(packagesDir).sort()) {
    const manifestPath = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private) continue;
    const entries = [];
    for (const [subpath, target] of Object.entries(manifest.exports ?? { '.': manifest.main })) {
      if (subpath === './package.json') continue;
      const built = typeof target === 'string' ? target : (target.import?.default ?? target.import ?? target.default);
      if (typeof built !== 'string' || /\*/.test(subpath)) continue;
      const base = built.replace(/^\.\/dist\//, 'src/').replace(/\.(c|m)?js$/, '');
      const source = ['.ts', '.mts', '.tsx'].map((ext) => join(packagesDir, dir, base + ext)).find((f) => existsSync(f));
      if (!source) throw new Error(`${manifest.name}: no source file for export ${subpath} (${built})`);
      // A worker entry that only runs (exports nothing) has no API to document.
      if (!/^\s*export\s/m.test(readFileSync(source, 'utf8'))) continue;
      entries.push({ specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, source });
    }
    found.push({ name: manifest.name, dir: join(packagesDir, dir), entries });
  }
  return found;
}

const packages = publicPackages();
// Core first: the symbols adapters re-export are documented where they are defined.
const entries = packages
  .flatMap((p) => p.entries)
  .sort((a, b) => Number(b.specifier.startsWith('@mp/core')) - Number(a.specifier.startsWith('@mp/core')));
const moduleName = new Map(entries.map((e) => [e.source, e.specifier]));

// A tsconfig that resolves `@mp/x` and `@mp/x/sub` to the sources, with every runtime's types (the adapters
// use Node, Deno-free DOM types).
const tsconfigPath = join(docs, '.typedoc/tsconfig.json');
mkdirSync(dirname(tsconfigPath), { recursive: true });
writeFileSync(
  tsconfigPath,
  JSON.stringify(
    {
      extends: relative(dirname(tsconfigPath), join(repo, 'tsconfig.base.json')),
      compilerOptions: {
        lib: ['es2023', 'es2024.sharedmemory', 'esnext.disposable', 'dom', 'dom.iterable'],
        types: ['node'],
        typeRoots: [join(repo, 'node_modules/@types')],
        paths: Object.fromEntries(entries.map((e) => [e.specifier, [e.source]])),
      },
      files: entries.map((e) => e.source),
    },
    null,
    2,
  ),
);

rmSync(out, { recursive: true, force: true });
const app = await Application.bootstrapWithPlugins({
  name: 'mp',
  entryPoints: entries.map((e) => e.source),
  entryPointStrategy: 'resolve',
  tsconfig: tsconfigPath,
  plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'],
  out,
  docsRoot: join(docs, 'src'),
  readme: 'none',
  excludePrivate: true,
  excludeInternal: true,
  excludeProtected: true,
  excludeExternals: true,
  sort: ['source-order'],
  disableSources: true,
  hideGenerator: true,
  outputFileStrategy: 'members',
  entryFileName: 'index',
  hidePageHeader: true,
  excludeScopesInPaths: true,
  useCodeBlocks: true,
  parametersFormat: 'table',
  interfacePropertiesFormat: 'table',
  classPropertiesFormat: 'table',
  sidebar: { autoConfiguration: true, format: 'vitepress', pretty: true, collapsed: true },
  // Missing TSDoc on a public export fails the build.
  validation: { notExported: false, invalidLink: true, rewrittenLink: true, notDocumented: true, unusedMergeModuleWith: true },
  requiredToBeDocumented: ['Class', 'Function', 'Variable', 'Interface', 'TypeAlias', 'Enum', 'Method', 'Accessor', 'Property'],
  packagesRequiringDocumentation: packages.map((p) => p.name),
  treatValidationWarningsAsErrors: true,
  treatWarningsAsErrors: true,
  logLevel: 'Warn',
});

// Modules are named after what users import (`@mp/core`, `@mp/core/worker`), not their file paths.
app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
  if (!reflection.kindOf(ReflectionKind.Module)) return;
  const symbol = context.getSymbolFromReflection(reflection);
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
  const name = file && moduleName.get(resolve(file));
  if (name) reflection.name = name;
});

const project = await app.convert();
if (!project) {
  console.error('api: TypeDoc could not convert the packages (see the errors above)');
  process.exit(1);
}
// `export const Pool = api.Pool` has the type `new (options) => Pool`: its one signature shows the comment of
// the variable or property that holds it, rather than counting as undocumented.
for (const owner of project.getReflectionsByKind(ReflectionKind.Variable | ReflectionKind.Property)) {
  if (!owner.hasComment() || owner.type?.type !== 'reflection') continue;
  for (const signature of owner.type.declaration.getNonIndexSignatures()) {
    if (!signature.hasComment()) signature.comment = owner.comment.clone();
  }
}
app.validate(project);
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error('api: TypeDoc reported problems (above): every public export needs TSDoc');
  process.exit(1);
}
await app.generateOutputs(project);
if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1);
console.log(`api: ${entries.length} entry points of ${packages.length} packages → ${relative(docs, out)}`);
