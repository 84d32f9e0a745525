/**
 * The last message a Deno worker posts before it ends itself. Deno gives a Web
 * Worker's parent no exit event, so without it a worker that ran `Deno.exit(n)`
 * or `self.close()` would simply fall silent.
 */
export interface ExitMessage {
  type: 'deno:exit';
  code: number;
}

export function isExitMessage(message: unknown): message is ExitMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'deno:exit';
}
