/**
 * Text output helpers for the demo: section headings, aligned columns, a
 * progress bar that grows in place while work runs, and a per-worker timeline.
 * Everything writes plain text, so the output reads the same in a terminal
 * and in a log file.
 */

/** Writes text without a newline (the runtime's `write`): progress bars grow on the line they started. */
export type Write = (text: string) => void;

/** Pads `text` to `width` columns, on the right (`'left'` aligned) or on the left. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/** A column of a text table: its heading, its width and its alignment. */
export interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

/** Joins cells into one table line, each padded to its column. */
export function line(columns: readonly Column[], cells: readonly string[]): string {
  return columns
    .map((c, i) => pad(cells[i] ?? '', c.width, c.align))
    .join('  ')
    .trimEnd();
}

/**
 * Writes the cells of a row that is drawn left to right (a progress bar comes
 * next), each followed by the two-space gap between columns.
 */
export function cells(write: Write, columns: readonly Column[], texts: readonly string[]): void {
  write(texts.map((text, i) => `${pad(text, columns[i]?.width ?? 0, columns[i]?.align)}  `).join(''));
}

/** The heading line of a table. */
export function header(columns: readonly Column[]): string {
  return line(columns, columns.map((c) => c.title));
}

/**
 * A progress bar of `total` steps, drawn one `■` per finished step after
 * whatever is already on the line: `[■■■■■···` grows to `[■■■■■■■■]`.
 */
export class Bar {
  readonly #write: Write;
  readonly #total: number;
  #drawn = 0;

  constructor(write: Write, total: number) {
    this.#write = write;
    this.#total = total;
    write('[');
  }

  /** Draws up to `done` steps. */
  update(done: number): void {
    const target = Math.min(done, this.#total);
    if (target > this.#drawn) this.#write('■'.repeat(target - this.#drawn));
    this.#drawn = Math.max(this.#drawn, target);
  }

  /** Closes the bar (filling any steps not reported) and ends the line with `after`. */
  finish(after: string): void {
    this.update(this.#total);
    this.#write(`]${after}\n`);
  }

  /** How wide the bar is on screen, brackets included. */
  static width(total: number): number {
    return total + 2;
  }
}

/** `1.47 s` */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `48 ms` */
export function millis(ms: number): string {
  return `${Math.round(ms)} ms`;
}

/** `43.9 MB` (mebibytes, as `top` counts them) */
export function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

/** Formats an array of numbers the way Python prints a list: `[4, 16, 36]`. */
export function pyList(values: readonly number[]): string {
  return `[${values.join(', ')}]`;
}

/** One task on the timeline. Times are absolute milliseconds. */
export interface Span {
  id: number;
  worker: string;
  start: number;
  end: number;
}

/** Sorts `PoolWorker-2` before `PoolWorker-10`. */
const byName = new Intl.Collator('en', { numeric: true }).compare;

/**
 * Draws spans as one row per worker, `width` columns wide from the first start
 * to the last end. Consecutive tasks of a worker alternate `■` and `□` so their
 * boundaries show; `·` is idle time. Returns the lines, then a legend of each
 * worker's tasks and busy time.
 */
export function timeline(spans: readonly Span[], width = 60): string[] {
  if (spans.length === 0) return ['(no tasks)'];
  const t0 = Math.min(...spans.map((s) => s.start));
  const t1 = Math.max(...spans.map((s) => s.end));
  const scale = width / Math.max(t1 - t0, 1);
  const col = (t: number): number => Math.min(width, Math.round((t - t0) * scale));
  const workers = [...new Set(spans.map((s) => s.worker))].sort(byName);
  const nameWidth = Math.max(...workers.map((w) => w.length));
  const rows: string[] = [];
  const legend: string[] = [];
  for (const worker of workers) {
    const mine = spans.filter((s) => s.worker === worker).sort((a, b) => a.start - b.start);
    const cells = Array.from({ length: width }, () => '·');
    const parts: string[] = [];
    let busy = 0;
    mine.forEach((s, i) => {
      const mark = i % 2 === 0 ? '■' : '□';
      const from = Math.min(col(s.start), width - 1);
      const to = Math.max(from + 1, col(s.end));
      for (let c = from; c < to; c++) cells[c] = mark;
      parts.push(`${mark} #${s.id} ${millis(s.end - s.start)}`);
      busy += s.end - s.start;
    });
    rows.push(`${pad(worker, nameWidth)} |${cells.join('')}|`);
    legend.push(`${pad(worker, nameWidth)}  busy ${millis(busy)}: ${parts.join(', ')}`);
  }
  const total = millis(t1 - t0);
  const axis = `${' '.repeat(nameWidth)}  0 ms${total.padStart(width - 4)}`;
  return [...rows, axis, '', ...legend];
}

/** An error as one line, without its stack: `RemoteError: …`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
