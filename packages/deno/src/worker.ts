/**
 * The entry every Deno worker runs: it connects mp's worker runtime to the
 * parent, and makes the worker's own end visible. `Deno.exit(n)` (which
 * `process.exit(n)` calls in Deno) and `self.close()` are wrapped to post an
 * `ExitMessage` first; Deno delivers it before the worker is gone.
 */
import { runWorker } from '@mp/core/worker';
import { IDS_KEY, isIdMessage, type ExitMessage } from './exit-message.ts';

interface DenoWorkerScope {
  postMessage(message: unknown, transfer?: readonly object[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
  Deno: { exit(code?: number): never; exitCode: number };
}

const scope = globalThis as unknown as DenoWorkerScope;
const deno = scope.Deno;
const close = scope.close.bind(scope);
const exit = deno.exit.bind(deno);
let told = false;

function tell(code: number): void {
  if (told) return;
  told = true;
  scope.postMessage({ type: 'deno:exit', code } satisfies ExitMessage);
}

deno.exit = (code?: number): never => {
  tell(code ?? deno.exitCode);
  return exit(code);
};
scope.close = (): void => {
  tell(0);
  close();
};

runWorker({
  postMessage: (message, transfer) => scope.postMessage(message, transfer),
  onMessage: (handler) => {
    scope.onmessage = (event) => {
      // The program's counter of worker ids (runtime.ts), for the workers this one starts; not core's.
      if (isIdMessage(event.data)) (globalThis as unknown as Record<symbol, Int32Array>)[IDS_KEY] = event.data.ids;
      else handler(event.data);
    };
  },
  exit: (code) => {
    tell(code);
    close();
  },
});
