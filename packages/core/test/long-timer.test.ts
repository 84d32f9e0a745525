/** `setLongTimeout`: any finite delay, never early — past setTimeout's 2^31−1 ms, where Node and Bun fire at once. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_DELAY, setLongTimeout } from '../src/internal/long-timer.ts';

describe('setLongTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits out a delay longer than 2^31-1 ms in steps, and fires once, not before', () => {
    const fn = vi.fn();
    const ms = 3 * MAX_TIMER_DELAY + 10;
    setLongTimeout(fn, ms);
    vi.advanceTimersByTime(ms - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * MAX_TIMER_DELAY);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('fires a short delay as setTimeout does', () => {
    const fn = vi.fn();
    setLongTimeout(fn, 20);
    vi.advanceTimersByTime(19);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('clear() cancels it, between steps too', () => {
    const fn = vi.fn();
    const t = setLongTimeout(fn, 2 * MAX_TIMER_DELAY);
    vi.advanceTimersByTime(MAX_TIMER_DELAY + 5);
    t.clear();
    vi.advanceTimersByTime(4 * MAX_TIMER_DELAY);
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
