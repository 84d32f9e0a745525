/**
 * A thread's stdout and stderr, copied into ours without holding up its start.
 *
 * Left to itself, Node's `Worker` constructor pipes a thread's output into `process.stdout` and
 * `process.stderr` before it starts the thread, and the first time, that creates both streams:
 * about 1.3 ms (measured with pipes; a terminal costs as much) on the way to a program's first
 * pool. Asked for the streams (`stdout: true, stderr: true`), it starts the thread at once; they
 * are piped here a microtask later, while the thread boots (about 19 ms), long before it can print.
 *
 * Node marks its own pipes so that they do not keep the program alive: reading a worker's output
 * stream otherwise holds the program until the worker ends, even an unreferenced (idle) one. The
 * mark is a flag on the stream (`kIncrementsPortRef`, in Node since v12, unchanged through v24);
 * we clear the same flag, found by its description. On a Node whose streams lack it, the workers
 * started so far are piped all the same, and later ones get Node's own pipes.
 */
import type { Readable, Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';

let nodePipes = false;
const waiting: Worker[] = [];

/** The output options for the next thread: ours, or Node's own pipes where the flag was not found. */
export function outputOptions(): { stdout?: true; stderr?: true } {
  return nodePipes ? {} : { stdout: true, stderr: true };
}

/** Pipes a thread started with `outputOptions()` into our stdout and stderr, in a microtask. */
export function pipeOutput(worker: Worker): void {
  if (waiting.push(worker) === 1) queueMicrotask(flush);
}

function flush(): void {
  for (const worker of waiting.splice(0)) {
    pipe(worker.stdout, process.stdout);
    pipe(worker.stderr, process.stderr);
  }
}

function pipe(from: Readable, to: Writable): void {
  const stream = from as unknown as Record<symbol, unknown>;
  const flag = Object.getOwnPropertySymbols(stream).find((s) => s.description === 'kIncrementsPortRef');
  if (flag !== undefined && stream[flag] === true) stream[flag] = false;
  else nodePipes = true;
  // One pipe per thread adds listeners to our stream; many threads are not a leak.
  const max = to.getMaxListeners();
  to.setMaxListeners(0);
  from.pipe(to);
  to.setMaxListeners(max);
}
