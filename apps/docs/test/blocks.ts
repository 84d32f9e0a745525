/**
 * Finds the `ts`/`js` code blocks of the guides and READMEs and says what to do with each; checks a
 * program's output against what its page shows. The conventions (also in apps/docs/README.md):
 *
 * - A block is a whole program by default, run in Node (`@mp/node` and the other packages resolve from
 *   apps/docs). A comment `// → text` at the end of a line says the program prints a line `text`; those lines
 *   must appear in the output, in that order.
 * - `<!-- output -->` right after a block, before a `text` block: the program prints exactly that.
 * - A marker on the line before a block (an HTML comment, invisible on the page) changes what happens:
 *   - `<!-- example: deno -->`, `<!-- example: bun -->`: run in that runtime (`npm:@mp/deno` resolves to the
 *     workspace's package); `<!-- example: browser -->`: type-checked with the DOM's types, not run;
 *   - `<!-- example: file NAME.ts -->`: a module the page's programs import as `./NAME.js`; type-checked;
 *   - `<!-- example: continue -->`: runs after the page's previous program, as one program;
 *   - `<!-- example: typecheck (why) -->`: type-checked only; `requires PKG …` skips it (saying so) while a
 *     package it imports is not in the workspace yet;
 *   - `<!-- example: signature (why) -->`: the contract's notation, not TypeScript: neither run nor checked.
 */
import { readFileSync } from 'node:fs';

export type Mode = 'run' | 'file' | 'typecheck' | 'signature';
export type Runtime = 'node' | 'deno' | 'bun' | 'browser';

export interface Block {
  /** The page, relative to the repository. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  mode: Mode;
  runtime: Runtime;
  /** For `file` blocks: the module's file name (`tasks.ts`). */
  fileName?: string | undefined;
  /** For `continue` blocks: it runs after the previous program of its page. */
  continues: boolean;
  /** Packages a `typecheck` block needs; it is skipped while one is missing. */
  requires: string[];
  /** Lines the program must print, in order (`// → …`). */
  expected: string[];
  /** What the program prints, exactly (an `<!-- output -->` block). */
  output?: string | undefined;
}

const LANGS = new Set(['ts', 'js', 'typescript', 'javascript', 'mjs', 'mts']);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/;
const MARKER = /^\s*<!--\s*example:\s*(.*?)\s*-->\s*$/;
const ARROW = /\/\/\s*→\s*(.*?)\s*$/;

/** Parses one page's Markdown. `page` is the path shown in test names. */
export function parseBlocks(markdown: string, page: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const start = i;
    i = j;
    if (!LANGS.has(lang)) continue;

    let prev = start - 1;
    while (prev >= 0 && lines[prev]!.trim() === '') prev--;
    const marker = prev >= 0 ? MARKER.exec(lines[prev]!)?.[1] ?? '' : '';
    const block: Block = {
      page,
      line: start + 1,
      lang,
      code: body.join('\n'),
      mode: 'run',
      runtime: 'node',
      continues: false,
      requires: [],
      expected: [],
    };
    applyMarker(block, marker);
    for (const line of body) {
      const arrow = ARROW.exec(line);
      if (arrow) block.expected.push(arrow[1]!);
    }
    // An output block right after this one.
    let next = j + 1;
    while (next < lines.length && lines[next]!.trim() === '') next++;
    if (next < lines.length && /^\s*<!--\s*output\s*-->\s*$/.test(lines[next]!)) {
      let k = next + 1;
      while (k < lines.length && lines[k]!.trim() === '') k++;
      const out = FENCE.exec(lines[k] ?? '');
      if (!out) throw new Error(`${page}:${next + 1}: <!-- output --> must be followed by a fenced block`);
      const text: string[] = [];
      for (k++; k < lines.length && !lines[k]!.trim().startsWith(out[2]!); k++) text.push(lines[k]!);
      block.output = text.join('\n');
    }
    blocks.push(block);
  }
  return blocks;
}

function applyMarker(block: Block, marker: string): void {
  if (marker === '') return;
  const [word = '', ...rest] = marker.split(/[\s,]+/);
  switch (word) {
    case 'deno':
    case 'bun':
      block.runtime = word;
      return;
    case 'browser':
      block.runtime = 'browser';
      block.mode = 'typecheck';
      return;
    case 'continue':
      block.continues = true;
      return;
    case 'file':
      block.mode = 'file';
      block.fileName = rest[0];
      if (!block.fileName || !/^[\w.-]+\.(ts|js|mts|mjs)$/.test(block.fileName)) {
        throw new Error(`${block.page}:${block.line}: "example: file" needs a file name such as tasks.ts`);
      }
      return;
    case 'typecheck': {
      block.mode = 'typecheck';
      const at = rest.indexOf('requires');
      if (at >= 0) block.requires = rest.slice(at + 1).filter((r) => /^[@\w][\w@/.-]*$/.test(r));
      return;
    }
    case 'signature':
      block.mode = 'signature';
      return;
    default:
      throw new Error(`${block.page}:${block.line}: unknown marker "example: ${marker}"`);
  }
}

export function readBlocks(file: string, page: string): Block[] {
  return parseBlocks(readFileSync(file, 'utf8'), page);
}

/** One printed line, compared without the spacing inside brackets (`[ 1, 2 ]` is `[1, 2]`). */
export function normalizeLine(line: string): string {
  return line
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/([[{(]) /g, '$1')
    .replace(/ ([\]})])/g, '$1');
}

/** Problems with a program's output, or `[]`. */
export function checkOutput(block: Pick<Block, 'expected' | 'output'>, stdout: string): string[] {
  const actual = stdout.split('\n').map(normalizeLine).filter((l) => l !== '');
  const problems: string[] = [];
  if (block.output !== undefined) {
    const wanted = block.output.split('\n').map(normalizeLine).filter((l) => l !== '');
    if (wanted.join('\n') !== actual.join('\n')) {
      problems.push(`printed\n${actual.join('\n')}\nbut the page shows\n${wanted.join('\n')}`);
    }
  }
  let from = 0;
  for (const expected of block.expected) {
    const want = normalizeLine(expected);
    const at = actual.indexOf(want, from);
    if (at < 0) {
      problems.push(`the page shows "// → ${expected}", but the program printed (from there on):\n${actual.slice(from).join('\n')}`);
      break;
    }
    from = at + 1;
  }
  return problems;
}
