/**
 * Examples that cannot rot: every `ts`/`js` block of the guides (src/**), the root README and every package's
 * and app's README is type-checked against the workspace's packages and, unless marked otherwise, run — in
 * Node, or in Deno or Bun where the page says so — and what it prints is compared with what the page shows.
 * The conventions are in test/blocks.ts and apps/docs/README.md.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkOutput, parseBlocks, readBlocks, type Block } from './blocks.ts';

const docs = fileURLToPath(new URL('..', import.meta.url));
const repo = resolve(docs, '../..');
const work = join(docs, '.examples');

/** The pages whose blocks are examples: the site's own (not the generated API) and every README. */
function pages(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(docs, 'src/api') && entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk(join(docs, 'src'));
  found.push(join(repo, 'README.md'));
  for (const parent of ['packages', 'apps']) {
    for (const dir of readdirSync(join(repo, parent))) {
      const readme = join(repo, parent, dir, 'README.md');
      if (existsSync(readme)) found.push(readme);
    }
  }
  return found.sort();
}

/** Whether `specifier` resolves from apps/docs (a workspace package, or a dependency of this app). */
function resolvable(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return existsSync(join(docs, 'node_modules', specifier, 'package.json'));
  }
}

interface Prepared {
  block: Block;
  /** The TypeScript file written for the block. */
  file: string;
  /** Set when the block is skipped, with the reason. */
  skip?: string;
  /** For programs: the code that runs (with the page's previous program for `continue`). */
  expected: string[];
}

const blocks: Block[] = pages().flatMap((file) => readBlocks(file, relative(repo, file)));

function prepare(): Prepared[] {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // Deno resolves `@mp/deno` through the workspace's node_modules, as an app with a package.json does.
  writeFileSync(join(work, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
  const prepared: Prepared[] = [];
  const previous = new Map<string, Prepared>();
  for (const block of blocks) {
    if (block.mode === 'signature') continue;
    const dir = join(work, block.page.replace(/\.md$/, '').replace(/[^\w]+/g, '_'));
    mkdirSync(dir, { recursive: true });
    const ext = /^(js|javascript|mjs)$/.test(block.lang) ? '.mjs' : '.ts';
    const file = join(dir, block.mode === 'file' ? block.fileName! : `line-${block.line}${ext}`);
    let code = block.code.replaceAll("'npm:@mp/deno'", "'@mp/deno'");
    let expected = block.expected;
    if (block.continues) {
      const before = previous.get(block.page);
      if (!before) throw new Error(`${block.page}:${block.line}: "example: continue" with no program before it`);
      code = `${before.block.code}\n${code}`;
      expected = [...before.expected, ...expected];
    }
    const missing = block.requires.filter((r) => !resolvable(r));
    const entry: Prepared = { block, file, expected };
    if (missing.length > 0) entry.skip = `needs ${missing.join(', ')}, not in the workspace yet`;
    else writeFileSync(file, `${code}\nexport {};\n`);
    prepared.push(entry);
    if (block.mode === 'run') previous.set(block.page, entry);
  }
  return prepared;
}

/** Type-checks every written block in one program; diagnostics by file. */
function typecheck(files: string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    ...ts.convertCompilerOptionsFromJson(
      {
        target: 'es2022',
        lib: ['es2023', 'es2024.sharedmemory', 'esnext.disposable', 'dom', 'dom.iterable'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        isolatedModules: true,
        allowImportingTsExtensions: true,
        allowJs: true,
        skipLibCheck: true,
        noEmit: true,
      },
      work,
    ).options,
    typeRoots: [join(repo, 'node_modules/@types')],
  };
  const program = ts.createProgram(files, options);
  const byFile = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const key = d.file ? resolve(d.file.fileName) : '(global)';
    const where = d.file && d.start !== undefined ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    const list = byFile.get(key) ?? [];
    list.push(`${relative(work, key)}${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    byFile.set(key, list);
  }
  return byFile;
}

/**
 * Compiles every written TypeScript file to the `.js` beside it, as `tsc` would for a user. It runs once,
 * before any test: the programs run concurrently, and compiling a page's folder while another program of that
 * page is being loaded would truncate the file under it (it then ran as an empty program, printed nothing and
 * exited 0).
 */
function transpileAll(files: string[]): void {
  for (const file of files) {
    if (!file.endsWith('.ts')) continue;
    const source = ts.sys.readFile(file) ?? '';
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: file,
    });
    writeFileSync(file.replace(/\.ts$/, '.js'), outputText);
  }
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(command, args, { cwd, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

async function execute(entry: Prepared): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = dirname(entry.file);
  switch (entry.block.runtime) {
    case 'deno':
      return run(join(repo, 'node_modules/.bin/deno'), ['run', '-A', '--no-check', '--no-prompt', entry.file], cwd);
    case 'bun':
      return run(join(repo, 'node_modules/.bin/bun'), ['run', entry.file], cwd);
    default:
      return run(process.execPath, [entry.file.replace(/\.ts$/, '.js')], cwd);
  }
}

const prepared = prepare();
transpileAll(prepared.filter((p) => !p.skip && p.block.runtime === 'node').map((p) => p.file));
let diagnostics: Map<string, string[]> | undefined;
const diagnosticsOf = (file: string): string[] => {
  diagnostics ??= typecheck(prepared.filter((p) => !p.skip).map((p) => p.file));
  return diagnostics.get(resolve(file)) ?? [];
};

describe('the code blocks of the guides and READMEs', () => {
  it('are found, and each is checked or says why not', () => {
    expect(prepared.filter((p) => p.block.mode === 'run').length).toBeGreaterThan(20);
    expect(diagnosticsOf(prepared[0]!.file)).toBeDefined();
    expect(diagnostics!.get('(global)') ?? []).toEqual([]);
  });

  for (const entry of prepared) {
    const { block } = entry;
    const what = block.mode === 'run' ? `runs in ${block.runtime}` : block.mode === 'file' ? `module ${block.fileName} type-checks` : 'type-checks';
    const name = `${block.page}:${block.line} ${what}`;
    if (entry.skip) {
      it.skip(`${name} (${entry.skip})`, () => {});
      continue;
    }
    // Programs run a few at a time (each is its own process with its workers).
    it.concurrent(name, async ({ expect }) => {
      const errors = diagnosticsOf(entry.file);
      if (errors.length > 0) expect.fail(`type errors:\n${errors.join('\n')}`);
      if (block.mode !== 'run') return;
      const result = await execute(entry);
      expect(result.code, `exit code; stderr:\n${result.stderr}\nstdout:\n${result.stdout}`).toBe(0);
      const problems = checkOutput({ expected: entry.expected, output: block.output }, result.stdout);
      if (problems.length > 0) expect.fail(problems.join('\n'));
    });
  }
});

describe('the checker itself', () => {
  const page = [
    '```ts',
    "console.log([1, 2]); // → [1, 2]",
    "console.log('b'); // → b",
    '```',
    '',
    '<!-- output -->',
    '```text',
    '[1, 2]',
    'b',
    '```',
    '',
    '<!-- example: file tasks.ts -->',
    '```ts',
    'export const x = 1;',
    '```',
  ].join('\n');
  const [program, file] = parseBlocks(page, 'test.md');

  it('reads arrows, output blocks and markers', () => {
    expect(program).toMatchObject({ mode: 'run', runtime: 'node', expected: ['[1, 2]', 'b'], output: '[1, 2]\nb', line: 1 });
    expect(file).toMatchObject({ mode: 'file', fileName: 'tasks.ts' });
  });

  it('accepts the right output, spaced as Node prints arrays', () => {
    expect(checkOutput(program!, '[ 1, 2 ]\nb\n')).toEqual([]);
  });

  it('fails a program that prints something else, or in another order', () => {
    expect(checkOutput(program!, '[ 1, 3 ]\nb\n')).not.toEqual([]);
    expect(checkOutput({ expected: ['a', 'b'] }, 'b\na\n')).not.toEqual([]);
    expect(checkOutput({ expected: [], output: 'a' }, 'a\nb\n')).not.toEqual([]);
  });

  it('refuses an unknown marker', () => {
    expect(() => parseBlocks('<!-- example: nonsense -->\n```ts\n1\n```', 'x.md')).toThrow(/unknown marker/);
  });
});
