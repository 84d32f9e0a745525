/**
 * A live timeline chart (SVG): one row per worker, one bar per task from when
 * it started to when it ended, so you see which worker ran which task and when,
 * and how much of the time each worker was busy. Several sections (a serial run,
 * a pool run) share one time axis, each measured from its own start, so their
 * lengths compare at a glance. While a section runs, a cursor marks "now".
 */
import { duration } from './ui.ts';

/** One task: which worker ran it and when (absolute ms, comparable across workers). */
export interface Span {
  id: number;
  worker: string;
  start: number;
  end: number;
}

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 1000;
const LABEL = 132;
const PLOT = WIDTH - LABEL - 16;
const ROW = 24;
const HEAD = 24;
const AXIS = 26;
const byName = new Intl.Collator('en', { numeric: true }).compare;

function node<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

/** A distinct, calm colour per task id (golden-angle hues). */
function color(id: number): string {
  return `hsl(${Math.round((id * 137.508 + 225) % 360)} 62% 58%)`;
}

/** A step of 1, 2 or 5 × 10^n giving about `count` ticks over `span`. */
function tickStep(span: number, count = 8): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

export class Section {
  readonly title: string;
  readonly spans: Span[] = [];
  /** How many rows to keep room for before the workers are known. */
  readonly rows: number;
  #fixedLanes: string[] | undefined;
  t0 = 0;
  end: number | undefined;
  /** Shown after the section's length once it has finished, e.g. `1.9× as fast`. */
  note = '';
  running = false;
  #chart: Timeline;

  constructor(chart: Timeline, title: string, rows: number, lanes?: string[]) {
    this.#chart = chart;
    this.title = title;
    this.rows = rows;
    this.#fixedLanes = lanes;
  }

  /** The lanes: fixed ones, else the workers seen so far in name order. */
  lanes(): string[] {
    return this.#fixedLanes ?? [...new Set(this.spans.map((s) => s.worker))].sort(byName);
  }

  begin(t0: number): void {
    this.t0 = t0;
    this.running = true;
    this.#chart.animate();
  }

  add(span: Span): void {
    this.spans.push(span);
    this.#chart.render();
  }

  finish(end: number): void {
    this.end = end;
    this.running = false;
    this.#chart.render();
  }

  /** How long the section has run (until now while it runs). */
  length(now: number): number {
    if (this.end !== undefined) return this.end - this.t0;
    if (this.running) return now - this.t0;
    return 0;
  }
}

export class Timeline {
  readonly element: SVGSVGElement;
  readonly sections: Section[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(host: HTMLElement) {
    this.element = node('svg', { class: 'timeline', role: 'img', 'aria-label': 'timeline of tasks per worker' });
    host.append(this.element);
    this.render();
  }

  section(title: string, rows: number, lanes?: string[]): Section {
    const s = new Section(this, title, rows, lanes);
    this.sections.push(s);
    this.render();
    return s;
  }

  /**
   * Redraws about 12 times a second while a section runs, so the cursor and the
   * axis move. Not every frame: drawing costs the page's thread CPU time that
   * the workers being measured could use, on a machine with few cores.
   */
  animate(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.render();
      if (!this.sections.some((s) => s.running)) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    }, 80);
  }

  render(): void {
    const now = performance.timeOrigin + performance.now();
    const domain = Math.max(50, ...this.sections.map((s) => s.length(now)));
    const x = (ms: number): number => LABEL + (Math.max(0, ms) / domain) * PLOT;
    const parts: SVGElement[] = [];
    let y = 0;
    for (const s of this.sections) {
      const lanes = s.lanes();
      const rows = Math.max(s.rows, lanes.length);
      const length = s.length(now);
      const suffix = s.running ? ` · ${duration(length)} so far` : s.end !== undefined ? ` · ${duration(length)}` : '';
      const title = node('text', { x: 0, y: y + 16, class: 'tl-title' }, `${s.title}${suffix}`);
      if (s.note && !s.running) title.append(node('tspan', { class: 'tl-note', dx: 10 }, s.note));
      parts.push(title);
      y += HEAD;
      for (let i = 0; i < rows; i++) {
        const lane = lanes[i];
        parts.push(node('rect', { x: LABEL, y: y + i * ROW + 2, width: PLOT, height: ROW - 4, rx: 3, class: 'tl-lane' }));
        if (lane) parts.push(node('text', { x: LABEL - 10, y: y + i * ROW + 16, class: 'tl-label', 'text-anchor': 'end' }, lane));
      }
      for (const span of s.spans) {
        const row = lanes.indexOf(span.worker);
        const x0 = x(span.start - s.t0);
        const w = Math.max(2, x(span.end - s.t0) - x0);
        const bar = node('rect', { x: x0, y: y + row * ROW + 3, width: w, height: ROW - 6, rx: 3, fill: color(span.id), class: 'tl-task' });
        bar.append(node('title', {}, `task #${span.id} on ${span.worker}: ${duration(span.end - span.start)}, from ${duration(span.start - s.t0)} to ${duration(span.end - s.t0)}`));
        parts.push(bar);
        if (w > 26) parts.push(node('text', { x: x0 + w / 2, y: y + row * ROW + 16, class: 'tl-id', 'text-anchor': 'middle' }, `#${span.id}`));
      }
      if (s.running) {
        const cx = x(length);
        parts.push(node('line', { x1: cx, x2: cx, y1: y, y2: y + rows * ROW, class: 'tl-now' }));
      }
      y += rows * ROW + 8;
    }
    const step = tickStep(domain);
    for (let t = 0; t <= domain + 1e-9; t += step) {
      parts.push(node('line', { x1: x(t), x2: x(t), y1: 0, y2: y, class: 'tl-grid' }));
      parts.push(node('text', { x: x(t), y: y + 16, class: 'tl-tick', 'text-anchor': 'middle' }, duration(t)));
    }
    // Layers: lanes, then grid lines, then bars and text.
    const layer = (p: SVGElement): number => ({ 'tl-lane': 0, 'tl-grid': 1 })[p.getAttribute('class') ?? ''] ?? 2;
    this.element.setAttribute('viewBox', `0 0 ${WIDTH} ${y + AXIS}`);
    this.element.replaceChildren(...[0, 1, 2].flatMap((l) => parts.filter((p) => layer(p) === l)));
  }
}
