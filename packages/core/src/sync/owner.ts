/**
 * The identity of the calling thread, for owner-checked locks (`RLock`). One
 * random token per JavaScript realm, kept on `globalThis` so every copy of mp
 * in that realm agrees.
 */
const KEY = Symbol.for('mp.owner');

export function ownerToken(): number {
  const g = globalThis as Record<symbol, number | undefined>;
  let token = g[KEY];
  if (token === undefined) {
    token = 1 + Math.floor(Math.random() * 0x7ffffffe);
    g[KEY] = token;
  }
  return token;
}
