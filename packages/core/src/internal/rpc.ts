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
import { endCaller, Granted, newCaller, type Caller } from './manager-waiters.js';

/**
 * What a manager answers; errors travel as data so their classes survive (`Empty`, `Full`…). `held` marks a grant
 * to a worker (a queue item, a lock): the worker acknowledges it on receipt, and until then the manager can take it
 * back should the worker end (serveWorker).
 */
export type Reply = { ok: true; value: unknown; held?: number } | { ok: false; error: SerializedError };

/** Serves manager objects by id; implemented by `ManagerServer`. `caller` is the worker that called, if one did. */
export interface Served {
  call(object: number, method: string, args: unknown[], caller?: Caller): unknown;
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

/**
 * Calls a manager of this realm for `caller` (a worker) or for this realm itself. `hold` keeps what undoes a grant
 * to a worker until the worker acknowledges it, and returns the token the reply carries for that.
 */
async function serve(manager: string, object: number, method: string, args: unknown[], caller?: Caller, hold?: (undo: () => void) => number): Promise<Reply> {
  try {
    const server = servers.get(manager);
    if (!server) {
      throw new MpError(
        `manager ${manager} is not running here: it was shut down, or its proxy was passed beyond the children of the program that started it`,
      );
    }
    const value = await server.call(object, method, args, caller);
    if (!(value instanceof Granted)) return { ok: true, value };
    return hold ? { ok: true, value: value.value, held: hold(value.undo) } : { ok: true, value: value.value };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/** The one function every proxy ends up calling, here or in the parent. */
export const registry = {
  call(manager: string, object: number, method: string, args: unknown[]): Promise<Reply> {
    return serve(manager, object, method, args);
  },
};

/** What a worker sends once it has received a grant (`Reply.held`): a message of mp's, not comlink's. */
interface Ack {
  mpAck: number;
}

function isAck(data: unknown): data is Ack {
  return typeof data === 'object' && data !== null && typeof (data as Partial<Ack>).mpAck === 'number';
}

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

/** One worker's connection to the managers of its parent (serveWorker). */
export interface WorkerService {
  /** Takes one of the worker's `rpc` messages. */
  take(data: unknown): void;
  /**
   * The worker has ended, or is being stopped: its calls still waiting in a manager are dropped (a later put, release
   * or set goes to a live caller or stays), and what was granted to it and not yet received goes back (an item to the
   * front of its queue, a lock or permit released). Nothing it sends from now on is served.
   */
  end(): void;
}

/** Parent side: serves the registry to one worker, as that worker (so its waits end with it). */
export function serveWorker(send: (data: unknown) => void): WorkerService {
  const caller = newCaller();
  const unacked = new Map<number, () => void>();
  let next = 0;
  const hold = (undo: () => void): number => {
    if (caller.ended) {
      undo();
      return 0;
    }
    unacked.set(++next, undo);
    return next;
  };
  const served = {
    call: (manager: string, object: number, method: string, args: unknown[]) => serve(manager, object, method, args, caller, hold),
  };
  const { endpoint, deliver } = carrier((data) => {
    if (!caller.ended) send(data);
  });
  const ready = loadComlink().then((c) => c.expose(served, endpoint));
  return {
    take(data) {
      if (caller.ended) return;
      if (isAck(data)) {
        unacked.delete(data.mpAck);
        return;
      }
      void ready.then(() => {
        if (!caller.ended) deliver(data);
      });
    },
    end() {
      if (caller.ended) return;
      // Its waits first, so an item given back cannot go to one of them.
      endCaller(caller);
      for (const undo of unacked.values()) undo();
      unacked.clear();
    },
  };
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
  const reply = await remote.call(manager, object, method, args);
  // Received: the manager need not take it back if this worker ends now.
  if (reply.ok && reply.held !== undefined) rpc.endpoint.postMessage({ mpAck: reply.held } satisfies Ack);
  return reply;
}
