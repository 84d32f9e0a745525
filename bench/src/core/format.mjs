/** Number formatting for the report: thousands separators for big figures, 3 significant digits for small ones. */

export function formatValue(v) {
  if (!Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export function formatRatio(v) {
  return Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a';
}

export function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

export function formatMiB(bytes) {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** Escapes a table cell. */
export function cell(text) {
  return String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
}
