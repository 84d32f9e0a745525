/**
 * The built index's JS is entry.ts, whose shared-state half are stand-ins (internal/deferred.ts); its
 * declarations are index.ts's. Both must export the same names, and a stand-in must behave as its class.
 * The stand-ins are tried on the built file (dist/index.js, which loads dist/shared-state.js on first use) when
 * it is there — the conformance suites of every adapter run against it too.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as index from '../src/index.ts';

const distUrl = new URL('../dist/index.js', import.meta.url);

describe('the built index (entry.ts)', () => {
  it('exports every name index.ts exports, and a default (the link dist/shared-state.js takes)', async () => {
    const entry = await import('../src/entry.ts');
    const names = Object.keys(entry).filter((n) => n !== 'default');
    expect(names.sort()).toEqual(Object.keys(index).sort());
    expect(entry.default.provideSharedState).toBeTypeOf('function');
  });

  it.runIf(existsSync(distUrl))('has stand-ins that behave as the classes, and shares errors and Process with the index', async () => {
    const built = (await import(/* @vite-ignore */ distUrl.href)) as typeof index;
    const { Queue, Empty, Pipe, Connection, JoinableQueue, wait, Manager } = built;
    // Nothing is an instance before the module is loaded, and asking does not load it.
    expect({} instanceof Queue).toBe(false);
    expect(typeof Queue).toBe('function');
    expect(Queue.name).toBe('Queue');
    const q = new Queue<number>();
    expect(q).toBeInstanceOf(Queue);
    expect(q.constructor).toBe(Queue);
    expect(Object.getPrototypeOf(q)).toBe(Queue.prototype);
    expect(() => q.getNowait()).toThrow(Empty);
    class Mine extends Queue<number> {
      twice(): number {
        return this.qsize() * 2;
      }
    }
    const mine = new Mine();
    mine.putNowait(1);
    expect(mine).toBeInstanceOf(Queue);
    expect(mine.twice()).toBe(2);
    expect(new JoinableQueue()).toBeInstanceOf(Queue);
    const [a] = Pipe();
    expect(a).toBeInstanceOf(Connection);
    // Called as a function, a class still refuses, as the class itself does.
    expect(() => (Queue as unknown as () => unknown)()).toThrow(TypeError);
    // A promise-returning stand-in rejects on bad input, never throws.
    await expect(wait(5 as never)).rejects.toThrow(TypeError);
    expect(typeof Manager.start).toBe('function');
  });
});
