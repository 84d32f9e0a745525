/**
 * RELIABILITY.md is written by the commands that measure it: `pnpm fuzz` writes its section and
 * `pnpm chaos` its own, each between markers, leaving the other's figures as they were.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const HEAD = `# Reliability

Every promise and iteration mp hands out settles (API.md 7). These figures are written by the
commands that measured them — \`pnpm fuzz\` (model-based programs and the serializer fuzzers) and
\`pnpm chaos\` (killed worker processes, faulty tasks, and with \`--soak\` a long soak) — on the
machine named in each section. Nothing here is typed by hand.
`;

/** Replaces (or adds) the section `name` of RELIABILITY.md at `root`. */
export function writeSection(root, name, body) {
  const file = new URL('RELIABILITY.md', root);
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEAD;
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  text = a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}

export function machine() {
  return `Node ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
