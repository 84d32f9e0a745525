/** `withLock(fn)` for anything that can be acquired and released: run `fn` holding it, always release. */
export async function withHeld<R>(
  held: { acquire(): Promise<boolean>; release(): void | Promise<void> },
  fn: () => R | Promise<R>,
): Promise<Awaited<R>> {
  await held.acquire();
  try {
    return await fn();
  } finally {
    await held.release();
  }
}
