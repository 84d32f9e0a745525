/** Raw baseline, unbatched: every task is its own message and its own promise. */
import { openRaw } from './raw-channel.mjs';

/** @returns {() => Promise<import('../../core/adapter.mjs').PoolAdapter>} */
export function rawUnbatched() {
  return async () => {
    const raw = openRaw(2);
    const inc = (x) => raw.call('inc', x);
    return {
      inc,
      map: (items) => Promise.all(items.map(inc)),
      fib: (n) => raw.call('fib', n),
      payload: (buf, move) => raw.call('byteLength', buf, move ? [buf] : undefined),
      close: raw.close,
    };
  };
}
