/**
 * What workers print, delivered to the page. A browser sends a worker's
 * `console` to DevTools only; mp's worker entry forwards it to the page as text,
 * and here it reaches the listeners of `onOutput` and, unless turned off, the
 * page's own console.
 */

/** One line a worker printed. */
export interface OutputLine {
  /** The worker's name, e.g. `'Process-3'` or `'PoolWorker-1'` (`Process.name`). */
  worker: string;
  /** `'stdout'` for `console.log` and `info`; `'stderr'` for `console.warn` and `error` (as Node does). */
  stream: 'stdout' | 'stderr';
  /** What was printed, formatted as Node's `console.log` formats its arguments. */
  text: string;
}

/** A function `onOutput` calls with each line a worker printed. */
export type OutputListener = (line: OutputLine) => void;

const listeners = new Set<OutputListener>();
let mirror = true;

/**
 * Calls `listener` with every line any mp worker of this page prints, in the
 * order printed. A child's lines have been delivered by the time its
 * `join()` resolves. Returns the function that unsubscribes.
 *
 * @example
 * const off = onOutput(({ worker, text }) => (log.textContent += `${worker}: ${text}\n`));
 * await new Process({ target: () => console.log('hi') }).start().join(); // log shows "Process-1: hi"
 * off();
 */
export function onOutput(listener: OutputListener): () => void {
  if (typeof listener !== 'function') throw new TypeError(`listener must be a function, got ${typeof listener}`);
  const entry: OutputListener = (line) => listener(line);
  listeners.add(entry);
  return () => void listeners.delete(entry);
}

/**
 * Whether workers' lines are also printed to the page's console (with the same
 * `console` method the worker used).
 * @default true
 * @example
 * mirrorOutput(false); // lines go only to onOutput listeners
 */
export function mirrorOutput(enabled: boolean): void {
  if (typeof enabled !== 'boolean') throw new TypeError(`enabled must be a boolean, got ${typeof enabled}`);
  mirror = enabled;
}

/** Delivers one line; a listener that throws does not stop the others. */
export function deliver(line: OutputLine, level: 'log' | 'info' | 'warn' | 'error'): void {
  // '%s': the text is printed as is, never read as a format string by the page's console.
  if (mirror) console[level]('%s', line.text);
  for (const listener of listeners) {
    try {
      listener(line);
    } catch (error) {
      // Reported like an error in an event listener: it must not break the worker's channel.
      setTimeout(() => {
        throw error;
      }, 0);
    }
  }
}
