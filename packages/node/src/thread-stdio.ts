/**
 * A thread's stdio, set up without holding up its start.
 *
 * Left to itself, Node's `Worker` constructor pipes a thread's output into `process.stdout` and
 * `process.stderr` before it starts the thread, and the first time, that creates both streams:
 * about 1.3 ms (measured with pipes; a terminal costs as much) on the way to a program's first
 * pool. Asked for the streams (`stdout: true, stderr: true`), it starts the thread at once; they
 * are piped here a microtask later, while the thread boots (about 19 ms), long before it can print.
 *
 * And by default the thread ends its own `process.stdin` as it boots, which creates its three
 * stdio streams there: 0.33 ms of every worker's start (0.43 ms to its first line of code). With
 * `stdin: true` and the parent ending that stream (the same microtask), the thread's stdin is just
 * as empty and ended, and the streams are made when something in the thread first uses them.
 *
 * Node marks its own output pipes so that they do not keep the program alive: reading a worker's
 * output stream otherwise holds the program until the worker ends, even an unreferenced (idle)
 * one. The mark is a flag on the stream (`kIncrementsPortRef`, in Node since v12, unchanged
 * through v24); we clear the same flag, found by its description. On a Node whose streams lack
 * it, the workers started so far are piped all the same, and later ones get Node's own stdio.
 */
import type { Readable, Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';

let nodeStdio = false;
const waiting: Worker[] = [];

/** The stdio options for the next thread: ours, or Node's own where the flag was not found. */
export function stdioOptions(): { stdin?: true; stdout?: true; stderr?: true } {
  return nodeStdio ? {} : { stdin: true, stdout: true, stderr: true };
}

/** Sets up the stdio of a thread started with `stdioOptions()`, in a microtask. */
export function setUpStdio(worker: Worker): void {
  if (waiting.push(worker) === 1) queueMicrotask(flush);
}

function flush(): void {
  for (const worker of waiting.splice(0)) {
    worker.stdin?.end();
    pipe(worker.stdout, process.stdout);
    pipe(worker.stderr, process.stderr);
  }
}

/**
 * Each chunk is written to our stream as it comes, not through `pipe()`: a pipe stops reading while our stream is
 * behind (a slow reader of our stdout), and the chunks it has not taken yet would then be written after whatever
 * this thread writes meanwhile — the line a program prints once `join()` resolves, or once a task's result is in,
 * could overtake what the child printed before it. Our stream keeps the order; it holds what its reader has not
 * taken yet, as it does for this thread's own writes.
 */
function pipe(from: Readable, to: Writable): void {
  const stream = from as unknown as Record<symbol, unknown>;
  const flag = Object.getOwnPropertySymbols(stream).find((s) => s.description === 'kIncrementsPortRef');
  if (flag !== undefined && stream[flag] === true) stream[flag] = false;
  else nodeStdio = true;
  from.on('data', (chunk: Buffer) => to.write(chunk));
}
