/**
 * Raw baselines, batched: 1,000 items per message. `perItem: false` keeps one
 * promise per message (the ceiling for throughput); `perItem: true` gives every
 * item its own promise, collecting the calls made in one tick into batches —
 * what a pool's `apply` has to do to batch at all.
 */
import { flatten } from '../../core/chunks.mjs';
import { openRaw } from './raw-channel.mjs';

const BATCH = 1000;

/** @returns {() => Promise<import('../../core/adapter.mjs').PoolAdapter>} */
export function rawBatched({ perItem }) {
  return async () => {
    const raw = openRaw(2);
    const submitAll = async (xs) => {
      const calls = [];
      for (let i = 0; i < xs.length; i += BATCH) calls.push(raw.call('incAll', xs.slice(i, i + BATCH)));
      return flatten(await Promise.all(calls));
    };
    let items = [];
    let resolvers = [];
    const flush = () => {
      const batch = items;
      const settle = resolvers;
      items = [];
      resolvers = [];
      raw.call('incAll', batch).then(
        (results) => {
          for (let i = 0; i < settle.length; i++) settle[i].resolve(results[i]);
        },
        (error) => {
          for (const r of settle) r.reject(error);
        },
      );
    };
    const inc = (x) =>
      new Promise((resolve, reject) => {
        if (items.length === 0) queueMicrotask(() => items.length > 0 && flush());
        items.push(x);
        resolvers.push({ resolve, reject });
        if (items.length === BATCH) flush();
      });
    return {
      inc,
      ...(perItem ? {} : { submitAll }),
      map: perItem ? (xs) => Promise.all(xs.map(inc)) : submitAll,
      fib: (n) => raw.call('fib', n),
      payload: (buf, move) => raw.call('byteLength', buf, move ? [buf] : undefined),
      close: raw.close,
    };
  };
}
