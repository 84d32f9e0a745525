/**
 * The adapter's own messages from a worker to the page. They travel on the
 * same channel as core's protocol and are taken out by the adapter before core
 * sees them: what the worker printed, and the worker's end, which a browser
 * does not report (a Web Worker's parent gets no exit event).
 */

/** One `console.log`/`info`/`warn`/`error` call in the worker, as text. */
export interface OutputMessage {
  type: 'browser:output';
  level: 'log' | 'info' | 'warn' | 'error';
  text: string;
}

/** The worker is ending itself: `code` 0 after `self.close()`, 1 after an uncaught error (carried in `error`). */
export interface ExitMessage {
  type: 'browser:exit';
  code: number;
  error?: unknown;
}

export type AdapterMessage = OutputMessage | ExitMessage;

export function isAdapterMessage(message: unknown): message is AdapterMessage {
  if (typeof message !== 'object' || message === null) return false;
  const type = (message as { type?: unknown }).type;
  return type === 'browser:output' || type === 'browser:exit';
}
