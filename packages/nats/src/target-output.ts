/**
 * What a host's Process targets print, sent to their callers on each call's output subject
 * (`mp.<name>.out.<caller>.<batch>`): live while a target runs, and what is left when it settles (see runTarget in
 * host.ts and the `'target'` mode of runRemote in remote.ts).
 *
 * Live output goes through a `Manager` in the host, made on the first target: one sink object whose proxy travels
 * in each target's call, so the host's worker can hand over what the target printed whatever the pool's context
 * (threads or child processes: a proxy works over messages). The sink sends only for a target running on this host.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { Manager, type Pool } from '@mp/core';
import { encode, type JobEnvelope, type OutputEnvelope } from './envelope.js';
import type { Names } from './names.js';
import type { OutputChunk, RemoteCall } from './remote.js';

export interface TargetOutput {
  /**
   * A target starts: its output may be sent from now on. Returns what its call carries for live output, or
   * `undefined` when the pool's workers cannot have it (a cluster pool: a proxy cannot reach its hosts) or the
   * manager failed to start — its output then comes with the end of the call, as it always can.
   */
  begin(env: JobEnvelope, pool: Pool): Promise<RemoteCall['live']>;
  /** The target has settled: nothing more is sent for it but what `send` is given. */
  end(env: JobEnvelope): void;
  /** Publishes output to the target's caller now, in messages that fit the server's max_payload. */
  send(env: JobEnvelope, out: OutputChunk[]): void;
  /** Stops the manager, if one was started. */
  close(): Promise<void>;
}

export function targetOutput(nc: NatsConnection, names: Names, hostName: string): TargetOutput {
  /** Targets running here, by `caller.batch`. */
  const targets = new Map<string, JobEnvelope>();
  let made: Promise<{ manager: Manager; sink: unknown }> | undefined;

  const key = (caller: unknown, batch: unknown): string => `${String(caller)}.${String(batch)}`;

  function sink(): Promise<{ manager: Manager; sink: unknown }> {
    return (made ??= (async () => {
      const manager = await Manager.start();
      const object = {
        /** What a running target printed, from this host's worker: sent to its caller now. */
        write: (caller: unknown, batch: unknown, out: unknown): boolean => {
          const env = targets.get(key(caller, batch));
          if (!env || !isOutput(out)) return false;
          send(env, out);
          return true;
        },
      };
      const registered = manager.register('mpNatsOutput', () => object, { exposed: ['write'] });
      return { manager, sink: await registered.mpNatsOutput() };
    })());
  }

  function send(env: JobEnvelope, out: OutputChunk[]): void {
    if (out.length === 0) return;
    const subject = names.output(env.caller, env.batch);
    // Characters, not bytes: a UTF-8 character is at most 3 bytes per UTF-16 unit, plus room for the envelope.
    const limit = Math.max(1024, Math.floor(((nc.info?.max_payload ?? 1 << 20) - 512) / 3));
    let chunks: OutputChunk[] = [];
    let size = 0;
    const flush = (): void => {
      if (chunks.length === 0) return;
      const message: OutputEnvelope = { v: 1, batch: env.batch, host: hostName, out: chunks };
      nc.publish(subject, encode(message));
      chunks = [];
      size = 0;
    };
    for (const [stream, text] of out) {
      let at = 0;
      do {
        const piece = text.slice(at, at + limit - size);
        chunks.push([stream, piece]);
        size += piece.length;
        at += piece.length;
        if (size >= limit) flush();
      } while (at < text.length);
    }
    flush();
  }

  return {
    async begin(env, pool) {
      targets.set(key(env.caller, env.batch), env);
      // A cluster pool's stats name its hosts.
      if ('hosts' in pool.stats()) return undefined;
      return sink().then(
        (made) => ({ sink: made.sink, caller: env.caller, batch: env.batch }),
        () => undefined,
      );
    },
    end(env) {
      targets.delete(key(env.caller, env.batch));
    },
    send,
    async close() {
      if (made) await (await made.catch(() => undefined))?.manager.shutdown();
    },
  };
}

/** Whether `out` is output chunks as runRemote sends them: `[1 | 2, string]` pairs. */
function isOutput(out: unknown): out is OutputChunk[] {
  return Array.isArray(out) && out.every((c) => Array.isArray(c) && c.length === 2 && (c[0] === 1 || c[0] === 2) && typeof c[1] === 'string');
}
