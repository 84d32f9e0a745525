/**
 * One panel of the page: a question, a short answer, the code it runs, a Run
 * button, and an output area where the exercise prints (lines from the page and
 * from its workers, each tagged with who printed it) and draws its chart.
 */

/** What an exercise gets to show its work. */
export interface Output {
  /** Prints one line; `source` tags it (`'page'`, or the worker's name). */
  print(text: string, source?: string): void;
  /** A place for a chart, above the printed lines. */
  readonly figure: HTMLElement;
}

export interface Exercise {
  id: string;
  /** `Q1`… */
  label: string;
  title: string;
  /** The short answer, as HTML (trusted, written here). */
  intro: string;
  /** The code the exercise runs, shown as is. */
  code?: string;
  /** Whether the panel spans the whole width (it has a chart). */
  wide?: boolean;
  run(out: Output): Promise<void>;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** `1.47 s` or `48 ms` */
export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** A panel on the page; `run()` runs its exercise once (a second click while running is ignored). */
export class Panel {
  readonly element: HTMLElement;
  readonly #exercise: Exercise;
  readonly #button: HTMLButtonElement;
  readonly #status: HTMLElement;
  readonly #figure: HTMLElement;
  readonly #lines: HTMLElement;
  #running: Promise<void> | undefined;

  constructor(exercise: Exercise) {
    this.#exercise = exercise;
    const card = el('section', exercise.wide ? 'card wide' : 'card');
    card.id = exercise.id;
    card.dataset.state = 'idle';
    const head = el('div', 'card-head');
    head.append(el('span', 'badge', exercise.label), el('h2', undefined, exercise.title));
    const intro = el('div', 'intro');
    intro.innerHTML = exercise.intro;
    card.append(head, intro);
    if (exercise.code) card.append(el('pre', 'code', exercise.code));
    const bar = el('div', 'actions');
    this.#button = el('button', 'run', 'Run');
    this.#button.type = 'button';
    this.#button.addEventListener('click', () => void this.run());
    this.#status = el('span', 'status', '');
    bar.append(this.#button, this.#status);
    this.#figure = el('div', 'figure');
    this.#lines = el('div', 'out');
    this.#lines.setAttribute('aria-live', 'polite');
    card.append(bar, this.#figure, this.#lines);
    this.element = card;
  }

  run(): Promise<void> {
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #run(): Promise<void> {
    const card = this.element;
    this.#lines.replaceChildren();
    this.#figure.replaceChildren();
    this.#button.disabled = true;
    card.dataset.state = 'running';
    this.#status.textContent = 'running…';
    const started = performance.now();
    const out: Output = {
      figure: this.#figure,
      print: (text, source = 'page') => {
        const line = el('div', source === 'page' ? 'line' : 'line child');
        line.append(el('span', 'src', source), el('span', 'text', text));
        this.#lines.append(line);
      },
    };
    try {
      await this.#exercise.run(out);
      card.dataset.state = 'done';
      this.#status.textContent = `done in ${duration(performance.now() - started)}`;
    } catch (error) {
      card.dataset.state = 'failed';
      this.#status.textContent = 'failed';
      out.print(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 'error');
      console.error(error);
    } finally {
      this.#button.disabled = false;
      this.#button.textContent = 'Run again';
    }
  }
}
