/** Copies a worker's output stream to ours, and says when the stream has ended. */
import type { Readable, Writable } from 'node:stream';

export function forward(from: Readable | null | undefined, to: Writable, ended: () => void): void {
  if (!from) {
    ended();
    return;
  }
  from.on('data', (chunk: Buffer) => to.write(chunk));
  from.once('end', ended);
}
