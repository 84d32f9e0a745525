/** `isMainThread` is true in the main program and false inside every kind of mp worker (built package). */
import { describe, expect, it } from 'vitest';
import { built as api } from './built.ts';

const check = api.task<() => boolean>(new URL('./fixtures/modules/is-main.mjs', import.meta.url), 'check');

describe('isMainThread', () => {
  it('is true here', () => {
    expect(api.isMainThread).toBe(true);
  });
  for (const context of ['thread', 'process'] as const) {
    it(`is false in a ${context} worker`, async () => {
      const pool = new api.Pool({ processes: 1, context });
      try {
        expect(await pool.apply(check, [])).toBe(false);
      } finally {
        await pool.terminate();
      }
    });
  }
});
