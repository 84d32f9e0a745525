/**
 * A child process's output, in order with its messages. What a child prints comes on its stdout and stderr pipes,
 * its messages on the IPC channel: two paths, so a task's result could reach the parent before the line the task
 * printed first, and writes still waiting in the child when it exits would be lost. So the child marks a message
 * with how many bytes it had written to each stream when it sent it (when that changed since its last message),
 * the parent holds a marked message until that much has come in on both pipes, and the child exits only once its
 * writes have left it.
 */
import type { Readable, Writable } from 'node:stream';

const MARK = '__mpOutput';

/** A message as a child sends it when it has printed since its last one. */
interface Marked {
  [MARK]: [number, number];
  message: unknown;
}

function isMarked(message: unknown): message is Marked {
  return typeof message === 'object' && message !== null && Array.isArray((message as Partial<Marked>)[MARK]);
}

/** The bytes written to a stream so far, those still waiting in this process included (a pipe's net.Socket). */
export function bytesWritten(stream: Writable): number {
  const written = (stream as Partial<{ bytesWritten: number }>).bytesWritten;
  return typeof written === 'number' ? written : 0;
}

export function markOutput(message: unknown, written: number[]): Marked {
  return { [MARK]: [written[0]!, written[1]!], message };
}

/** How long the parent holds a marked message while nothing comes in on the child's pipes (forwardOutput). */
const STALLED_MS = 1_000;

/** How long a child waits at its end for its last writes to leave (a parent that no longer reads them). */
const WRITTEN_WAIT_MS = 10_000;

/** Resolves once what this process has written to its stdout and stderr so far has left it. */
export function outputWritten(): Promise<void> {
  const streams = [process.stdout, process.stderr].filter((s) => s.writableLength > 0 && !s.destroyed);
  if (streams.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let left = streams.length;
    const timer = setTimeout(resolve, WRITTEN_WAIT_MS);
    const done = (): void => {
      if (--left > 0) return;
      clearTimeout(timer);
      resolve();
    };
    // Writes leave in order: an empty write's callback comes once every earlier one has left (or failed).
    for (const s of streams) s.write('', done);
  });
}

/**
 * The parent's side: copies a child's stdout and stderr to ours, and hands its messages to `deliver` in order
 * with them. `ended()` (the child's 'close': its pipes have ended) hands over whatever is still held.
 */
export function forwardOutput(
  streams: readonly [Readable | null | undefined, Readable | null | undefined],
  deliver: (message: unknown) => void,
): { message(message: unknown): void; ended(): void } {
  const received = [0, 0];
  const held: { need: [number, number] | undefined; message: unknown }[] = [];
  // Should the counts ever disagree (output written around the streams), a message is not held for good: once
  // nothing has come in on the pipes for STALLED_MS while one is held, all held go on.
  let stalled: ReturnType<typeof setTimeout> | undefined;
  const release = (all: boolean): void => {
    while (held.length > 0) {
      const { need, message } = held[0]!;
      if (!all && need && (received[0]! < need[0] || received[1]! < need[1])) break;
      held.shift();
      deliver(message);
    }
    if (stalled !== undefined) clearTimeout(stalled);
    stalled = held.length > 0 ? setTimeout(() => release(true), STALLED_MS) : undefined;
  };
  const targets = [process.stdout, process.stderr];
  streams.forEach((from, i) => {
    from?.on('data', (chunk: Buffer) => {
      targets[i]!.write(chunk);
      received[i] = received[i]! + chunk.length;
      if (held.length > 0) release(false);
    });
  });
  return {
    message(message) {
      if (held.length === 0 && !isMarked(message)) return deliver(message);
      held.push(isMarked(message) ? { need: message[MARK], message: message.message } : { need: undefined, message });
      release(false);
    },
    ended: () => release(true),
  };
}
