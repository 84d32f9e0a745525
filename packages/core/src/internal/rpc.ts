/**
 * Remote calls to managers over the worker channel. A worker's calls travel as
 * `rpc` messages on the same channel as its tasks (so they work for threads and
 * child processes alike); comlink speaks its protocol over that carrier. The
 * parent exposes the manager registry to each worker that asks; inside a worker,
 * one comlink remote talks to the parent.
 */
import type { Endpoint, Remote } from 'comlink';
import { MpError } from '../errors.js';
import { serializeError, type SerializedError } from './error-wire.js';

/** What a manager answers; errors travel as data so their classes survive (`Empty`, `Full`…). */
export type Reply = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/** Serves manager objects by id; implemented by `ManagerServer`. */
export interface Served {
  call(object: number, method: string, args: unknown[]): unknown;
}

const servers = new Map<string, Served>();

// comlink loads on first use, so workers that never touch a manager start without it.
let comlink: Promise<typeof import('comlink')> | undefined;
const loadComlink = (): Promise<typeof import('comlink')> => (comlink ??= import('comlink'));

export function registerManager(id: string, server: Served): void {
  servers.set(id, server);
}

export function unregisterManager(id: string): void {
  servers.delete(id);
}

/** The one function every proxy ends up calling, here or in the parent. */
export const registry = {
  async call(manager: string, object: number, method: string, args: unknown[]): Promise<Reply> {
    try {
      const server = servers.get(manager);
      if (!server) {
        throw new MpError(
          `manager ${manager} is not running here: it was shut down, or its proxy was passed beyond the children of the program that started it`,
        );
      }
      return { ok: true, value: await server.call(object, method, args) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  },
};

type Listener = (event: { data: unknown }) => void;

/** A comlink endpoint over any `send` function, fed by `deliver`. */
function carrier(send: (data: unknown) => void): { endpoint: Endpoint; deliver: (data: unknown) => void } {
  const listeners = new Set<Listener>();
  const endpoint: Endpoint = {
    postMessage: (data: unknown) => send(data),
    addEventListener: (_type: string, listener: unknown) => void listeners.add(listener as Listener),
    removeEventListener: (_type: string, listener: unknown) => void listeners.delete(listener as Listener),
  };
  return {
    endpoint,
    deliver: (data) => {
      for (const l of listeners) l({ data });
    },
  };
}

/** Parent side: serves the registry to one worker; returns the function that takes its `rpc` messages. */
export function serveWorker(send: (data: unknown) => void): (data: unknown) => void {
  const { endpoint, deliver } = carrier(send);
  const ready = loadComlink().then((c) => c.expose(registry, endpoint));
  return (data) => void ready.then(() => deliver(data));
}

const KEY = Symbol.for('mp.rpc');

interface WorkerRpc {
  endpoint: Endpoint;
  remote: Promise<Remote<typeof registry>> | undefined;
}

/** Worker side: connects this worker's calls to its parent. Called once by the worker runtime. */
export function connectWorker(send: (data: unknown) => void): (data: unknown) => void {
  const { endpoint, deliver } = carrier(send);
  const rpc: WorkerRpc = { endpoint, remote: undefined };
  (globalThis as Record<symbol, unknown>)[KEY] = rpc;
  return deliver;
}

/** Calls a manager: directly when it runs in this realm, else through the parent. */
export async function callManager(manager: string, object: number, method: string, args: unknown[]): Promise<Reply> {
  if (servers.has(manager)) return registry.call(manager, object, method, args);
  const rpc = (globalThis as Record<symbol, WorkerRpc | undefined>)[KEY];
  if (!rpc) return registry.call(manager, object, method, args);
  const remote = await (rpc.remote ??= loadComlink().then((c) => c.wrap<typeof registry>(rpc.endpoint)));
  return remote.call(manager, object, method, args);
}
