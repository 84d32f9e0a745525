/**
 * Checks of option values shared by `cluster()`, `host()` and `mp-host`: messages name the option and the value
 * received, a string quoted with its type (`got "4" (string)`), so a number and its text are told apart.
 */

import { show } from '@mp/core/wire';

/** `value` as an error message shows it: core's rendering, so mp's messages read alike. */
export const shown = show;

/**
 * An integer option from 1 (to `max`, if given): `fallback` when it is `undefined` — only then; `null` is refused.
 * A value of another type is a TypeError, a number out of range a RangeError.
 */
export function integerOption(name: string, value: unknown, fallback: number, max?: number): number {
  if (value === undefined) return fallback;
  const range = max === undefined ? '>= 1' : `from 1 to ${max}`;
  if (typeof value !== 'number') throw new TypeError(`${name} must be an integer ${range}, got ${shown(value)}`);
  if (!Number.isSafeInteger(value) || value < 1 || (max !== undefined && value > max)) throw new RangeError(`${name} must be an integer ${range}, got ${shown(value)}`);
  return value;
}
