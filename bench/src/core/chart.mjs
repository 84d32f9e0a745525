/**
 * The headline chart: one bar per target, its length how far the measurement
 * is past (green) or short of (red) the target, on a log scale centred on the
 * target line. Plain SVG text, so any runtime (or a browser) can write it.
 */

const W = 820;
const ROW = 30;
const TOP = 52;
const LEFT = 300;
const RIGHT = 110;
const SPAN = 3; // log2 range either side of the target line: 1/8× … 8×

const esc = (s) => String(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** @param {import('./targets.mjs').TargetResult[]} targets @param {string} subtitle */
export function renderChart(targets, subtitle) {
  const H = TOP + targets.length * ROW + 40;
  const plot = W - LEFT - RIGHT;
  const mid = LEFT + plot / 2;
  const xOf = (score) => mid + (Math.max(-SPAN, Math.min(SPAN, Math.log2(score))) / SPAN) * (plot / 2);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="600">mp against its targets (issue 3)</text>`,
    `<text x="16" y="42" fill="#555">${esc(subtitle)}</text>`,
  ];
  for (const k of [-2, -1, 1, 2]) {
    const gx = xOf(2 ** k);
    parts.push(`<line x1="${gx}" y1="${TOP - 6}" x2="${gx}" y2="${TOP + targets.length * ROW}" stroke="#eee"/>`);
    parts.push(`<text x="${gx}" y="${TOP + targets.length * ROW + 16}" text-anchor="middle" fill="#888" font-size="11">${k > 0 ? `${2 ** k}× past` : `${2 ** -k}× short`}</text>`);
  }
  targets.forEach((t, i) => {
    const y = TOP + i * ROW;
    const ok = t.pass === true;
    const x = Number.isFinite(t.score) ? xOf(t.score) : mid;
    const color = t.pass === undefined ? '#999' : ok ? '#2da44e' : '#cf222e';
    parts.push(`<text x="${LEFT - 8}" y="${y + 19}" text-anchor="end">${esc(`(${t.letter}) ${t.goal}`)}</text>`);
    parts.push(`<rect x="${Math.min(x, mid)}" y="${y + 6}" width="${Math.max(1, Math.abs(x - mid))}" height="${ROW - 12}" fill="${color}" rx="2"/>`);
    parts.push(`<text x="${W - RIGHT + 8}" y="${y + 19}" fill="${color}">${esc(`${t.pass === undefined ? '?' : ok ? '✓' : '✗'} ${t.measured.split(' = ')[1] ?? ''}`)}</text>`);
  });
  parts.push(`<line x1="${mid}" y1="${TOP - 6}" x2="${mid}" y2="${TOP + targets.length * ROW}" stroke="#333" stroke-width="1.5"/>`);
  parts.push(`<text x="${mid}" y="${TOP - 10}" text-anchor="middle" fill="#333" font-size="11">target</text>`);
  parts.push(`<text x="16" y="${H - 8}" fill="#888" font-size="11">Bar length: how far the measured ratio is past (right) or short of (left) its target, log scale. Right column: the measured ratio.</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
