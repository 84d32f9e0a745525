/**
 * The names a cluster lives under: one JetStream work-queue stream per cluster name, one durable consumer
 * shared by every host (so each job goes to one host), and core NATS subjects for results, cancellation and
 * a caller's liveness. Everything mp publishes starts with `mp.<name>.`.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { AckPolicy, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { shown } from './check.js';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The most replicas a JetStream stream may have. */
export const MAX_REPLICAS = 5;

/** Throws a TypeError naming `name` unless it can be part of a subject and a stream name. */
export function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(`name must be 1–64 letters, digits, '_' or '-' (it names a NATS stream and subjects), got ${shown(name)}`);
  }
  return name;
}

/** 16 random hex digits: a caller's id, a host's direct id, a repeated publish's. */
export function randomId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The header of a host's liveness question on a batch's last delivery: the claim's length in ms (its ack wait). */
export const LAST_DELIVERY = 'Mp-Last-Delivery';

export interface Names {
  stream: string;
  consumer: string;
  jobs: string;
  /** A caller's lone batch, by request/reply to one host of the queue group (core NATS, past the work queue). */
  direct: string;
  /** The same, to the one host whose direct id is `id` (the host that answered the caller's last one). */
  directTo(id: string): string;
  cancel: string;
  results(caller: string): string;
  /** Where hosts reply to a caller's direct request for `batch`; `'*'` for all of a caller's. */
  directReply(caller: string, batch: number | '*'): string;
  alive(caller: string): string;
  /** What a remote Process target printed: one subject per call (`batch`); `'*'` for all of a caller's. */
  output(caller: string, batch: number | '*'): string;
  /** JetStream's advisory when a job was delivered `max_deliver` times without an ack. */
  maxDeliveries: string;
}

export function namesOf(name: string): Names {
  const stream = `MP_${name}`;
  const consumer = 'mp_hosts';
  return {
    stream,
    consumer,
    jobs: `mp.${name}.jobs`,
    direct: `mp.${name}.direct`,
    directTo: (id) => `mp.${name}.direct.${id}`,
    cancel: `mp.${name}.cancel`,
    results: (caller) => `mp.${name}.res.${caller}`,
    directReply: (caller, batch) => `mp.${name}.dres.${caller}.${batch}`,
    alive: (caller) => `mp.${name}.alive.${caller}`,
    output: (caller, batch) => `mp.${name}.out.${caller}.${batch}`,
    maxDeliveries: `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${consumer}`,
  };
}

/**
 * Retries `op` while JetStream is not ready yet (a clustered server electing its meta leader answers "temporarily
 * unavailable" for a few seconds after it starts), for at most `ms`.
 */
async function whenReady<T>(op: () => Promise<T>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await op();
    } catch (error) {
      const transient = /temporarily unavailable|no suitable peers|insufficient resources|timeout|no responders/i.test(String((error as Error)?.message ?? error));
      if (!transient || Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function isAlreadyInUse(error: unknown): boolean {
  return /already in use|already exists/i.test(String((error as Error)?.message ?? error));
}

/** Creates the cluster's work-queue stream unless it exists. Callers and hosts both call it, so either may start first. */
export async function ensureStream(nc: NatsConnection, names: Names, replicas: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(names.stream);
    return;
  } catch {
    // not there yet
  }
  try {
    await whenReady(() =>
      jsm.streams.add({
        name: names.stream,
        subjects: [names.jobs],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        num_replicas: replicas,
      }),
    );
  } catch (error) {
    if (!isAlreadyInUse(error)) throw error;
  }
}

/** Creates (or updates) the durable consumer every host of the cluster pulls from. */
export async function ensureConsumer(nc: NatsConnection, names: Names, ackWaitMs: number, maxDeliver: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    durable_name: names.consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ackWaitMs),
    max_deliver: maxDeliver,
    max_ack_pending: -1,
  };
  try {
    await whenReady(() => jsm.consumers.add(names.stream, config));
  } catch (error) {
    // Another host made it with other settings: the last one to start sets ack wait and deliveries.
    if (!isAlreadyInUse(error)) throw error;
    await whenReady(() => jsm.consumers.update(names.stream, names.consumer, { ack_wait: config.ack_wait, max_deliver: maxDeliver }));
  }
}
