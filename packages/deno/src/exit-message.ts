/**
 * The adapter's own messages between a Deno worker and its parent, beside core's: the id counter a worker gets
 * first (below), and the last message a worker posts before it ends itself: Deno gives a Web Worker's parent no
 * exit event, so without it a worker that ran `Deno.exit(n)` or `self.close()` would simply fall silent.
 */
export interface ExitMessage {
  type: 'deno:exit';
  code: number;
}

export function isExitMessage(message: unknown): message is ExitMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'deno:exit';
}

export const ID_MESSAGE = 'deno:ids';

/** The first message a Deno worker gets: the program's counter of worker ids (runtime.ts), shared memory. */
export interface IdMessage {
  type: typeof ID_MESSAGE;
  ids: Int32Array;
}

export function isIdMessage(message: unknown): message is IdMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === ID_MESSAGE && (message as { ids?: unknown }).ids instanceof Int32Array;
}

/** Where a worker keeps the counter it was given, for every copy of the adapter it loads (runtime.ts reads it). */
export const IDS_KEY = Symbol.for('mp.deno.workerIds');
