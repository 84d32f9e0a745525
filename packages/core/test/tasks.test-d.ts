/** Type tests: typed task handles carry their signatures into pool calls. */
import { expectTypeOf } from 'vitest';
import type { Pool } from '../src/pool.ts';
import { task, tasks } from '../src/task.ts';

declare const pool: Pool;
type Mod = { squ(n: number): number; greet(name: string, n: number): Promise<string>; notFn: number };
const t = tasks<Mod>('file:///m.js');

expectTypeOf(pool.map(t.squ, [1, 2])).toEqualTypeOf<Promise<number[]>>();
expectTypeOf(pool.apply(t.greet, ['a', 1])).toEqualTypeOf<Promise<string>>();
expectTypeOf(pool.starmap(t.greet, [['a', 1]])).toEqualTypeOf<Promise<string[]>>();
expectTypeOf(pool.imap(t.squ, [1])).toEqualTypeOf<AsyncIterableIterator<number>>();
expectTypeOf(pool.map((n: number) => String(n), [1])).toEqualTypeOf<Promise<string[]>>();
expectTypeOf(t).not.toHaveProperty('notFn');
const one = task<Mod['squ']>('file:///m.js', 'squ');
expectTypeOf(pool.map(one, [3])).toEqualTypeOf<Promise<number[]>>();
// @ts-expect-error wrong item type for the handle
void pool.map(t.squ, ['x']);
