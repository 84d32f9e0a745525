import { show } from '../internal/validate.js';

/** `withLock(fn)` for anything that can be acquired and released: run `fn` holding it, always release. */
export async function withHeld<R>(
  held: { acquire(): Promise<boolean>; release(): void | Promise<void> },
  fn: () => R | Promise<R>,
): Promise<Awaited<R>> {
  // Checked before acquiring: nothing is taken for a call that cannot run (and the promise rejects, never throws).
  if (typeof fn !== 'function') throw new TypeError(`withLock(fn): fn must be a function, got ${show(fn)}`);
  await held.acquire();
  try {
    return await fn();
  } finally {
    await held.release();
  }
}
