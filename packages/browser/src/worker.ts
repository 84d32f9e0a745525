/**
 * The entry every browser worker runs: it connects mp's worker runtime to the
 * page, forwards what the worker prints, and makes the worker's own end
 * visible. `self.close()` is wrapped to post an exit message first (the page
 * gets no exit event from a browser), and an uncaught error or unhandled
 * rejection ends the worker with code 1, as on Node and Deno (a browser would
 * keep the worker running).
 */
import { runWorker } from '@mp/core/worker';
import { format } from './format.js';
import type { ExitMessage, OutputMessage } from './messages.js';

interface WorkerScope {
  postMessage(message: unknown, transfer?: readonly object[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
  addEventListener(type: 'error', listener: (event: { error?: unknown; message?: string; preventDefault(): void }) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: { reason: unknown; preventDefault(): void }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const close = scope.close.bind(scope);
let told = false;

/**
 * An error as plain data the page can rebuild (a structured clone would drop its name and properties): its
 * primitive own properties, its `cause` and an AggregateError's `errors`, as core's error wire reads them.
 */
function plain(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return { name: 'Error', message: `a non-Error value was thrown: ${format([error])}` };
  const out: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value)) out[key] = value;
  }
  if (depth < 8) {
    if (error.cause !== undefined) out.cause = plain(error.cause, depth + 1);
    const errors = (error as { errors?: unknown }).errors;
    if (Array.isArray(errors)) out.errors = errors.slice(0, 100).map((e) => plain(e, depth + 1));
  }
  return out;
}

function tell(code: number, error?: unknown): void {
  if (told) return;
  told = true;
  const message: ExitMessage = error === undefined ? { type: 'browser:exit', code } : { type: 'browser:exit', code, error: plain(error) };
  scope.postMessage(message);
}

scope.close = (): void => {
  tell(0);
  close();
};

// Whether a line went to the page since mp's last message (WorkerPort.printed).
let printed = false;

// console.debug (and trace, dir, table…) stay in DevTools: dev tools log there (Vite's client does), not programs.
for (const level of ['log', 'info', 'warn', 'error'] as const) {
  console[level] = (...args: unknown[]): void => {
    let text: string;
    try {
      text = format(args);
    } catch {
      text = args.map((a) => String(a)).join(' ');
    }
    scope.postMessage({ type: 'browser:output', level, text } satisfies OutputMessage);
    printed = true;
  };
}

function uncaught(error: unknown): void {
  tell(1, error);
  close();
}
scope.addEventListener('error', (event) => {
  event.preventDefault();
  uncaught(event.error ?? new Error(event.message ?? 'an uncaught error'));
});
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  uncaught(event.reason);
});

runWorker({
  postMessage: (message, transfer) => {
    printed = false;
    scope.postMessage(message, transfer);
  },
  printed: () => printed,
  onMessage: (handler) => {
    scope.onmessage = (event) => handler(event.data);
  },
  exit: (code) => {
    tell(code);
    close();
  },
});
