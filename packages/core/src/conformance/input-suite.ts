/**
 * Conformance: bad input. A constructor throws at its call site; a method that
 * returns a promise or an iteration rejects through it (API.md section 7). Either
 * way the error names the argument and shows the value received, and nothing is
 * sent to a worker.
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { PoolClosedError, RemoteError } from '../errors.js';
import { task } from '../task.js';
import { equal, rejects, rejectsAtCall, throws } from './assert.js';

export function inputSuite(h: Harness): void {
  const { Pool, Process } = h.api;
  const context = h.context;

  h.describe('bad input', () => {
    h.it('Pool options: processes, maxTasksPerChild, context, initializer, initargs', async () => {
      throws(() => new Pool({ processes: 0 }), RangeError, /^processes must be an integer >= 1, got 0$/);
      throws(() => new Pool({ processes: -1 }), RangeError, /processes .* got -1$/);
      throws(() => new Pool({ processes: 1.5 }), RangeError, /processes .* got 1\.5$/);
      throws(() => new Pool({ processes: '4' as never }), TypeError, /processes .* got "4" \(string\)$/);
      throws(() => new Pool({ processes: NaN }), RangeError, /processes .* got NaN$/);
      throws(() => new Pool({ processes: 1, maxTasksPerChild: 0 }), RangeError, /maxTasksPerChild .* got 0$/);
      throws(() => new Pool({ processes: 1, context: 'bogus' }), TypeError, /context must be one of .* got "bogus"/);
      throws(() => new Pool({ processes: 1, initializer: 42 as never }), TypeError, /initializer must be a function .* got 42/);
      throws(() => new Pool({ processes: 1, initargs: 'x' as never }), TypeError, /initargs must be an array/);
      throws(() => new Pool(5 as never), TypeError, /options must be an object, got 5/);
      // A misspelt option is named, not ignored (Python's Pool(procesess=2) is a TypeError too).
      throws(() => new Pool({ procesess: 2 } as never), TypeError, /^unknown option "procesess" for Pool; the options are processes, initializer, /);
      throws(() => new Process({ target: fx.squ, context, deamon: true } as never), TypeError, /^unknown option "deamon" for Process; the options are target, args, name, daemon, context$/);
      await Promise.resolve();
    });

    h.it('call arguments: fn, iterable, chunksize, timeout, signal, unknown options', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        await rejectsAtCall(() => pool.map('squ' as never, [1]), TypeError, /^fn must be a function or a task\(\) handle, got "squ" \(string\)$/);
        await rejectsAtCall(() => pool.map(fx.squ, 5 as never), TypeError, /^iterable must be an iterable .* got 5$/);
        await rejectsAtCall(() => pool.map(fx.squ, [1], { chunksize: 0 }), RangeError, /^chunksize must be an integer >= 1, got 0$/);
        await rejectsAtCall(() => pool.imap(fx.squ, [1], { chunksize: -2 }), RangeError, /chunksize .* got -2$/);
        await rejectsAtCall(() => pool.apply(fx.squ, [1], { timeout: -1 }), RangeError, /^timeout must be .* got -1$/);
        await rejectsAtCall(() => pool.apply(fx.squ, [1], { signal: {} as never }), TypeError, /^signal must be an AbortSignal/);
        await rejectsAtCall(() => pool.map(fx.squ, [1], { chunkSize: 2 } as never), TypeError, /options\.chunkSize is not an option/);
        await rejectsAtCall(() => pool.apply(fx.squ, 3 as never), TypeError, /^args must be an array, got 3$/);
        await rejectsAtCall(() => pool.starmap(fx.add, [[1, 2], 3] as never), TypeError, /^iterable\[1\] must be an array of arguments, got 3$/);
      } finally {
        await pool.terminate();
      }
    });

    h.it('bound and native functions are refused when called', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        const bound = function (this: unknown, n: number) { return n; }.bind(null);
        await rejectsAtCall(() => pool.map(bound, [1]), TypeError, /^fn is a bound or native function .*task\(/);
        await rejectsAtCall(() => pool.map(Math.sqrt, [1]), TypeError, /^fn is a bound or native function \(function sqrt\)/);
        throws(() => new Process({ target: Math.max, context }), TypeError, /^target is a bound or native function/);
        throws(() => new Process({ target: 'nope' as never, context }), TypeError, /^target must be a function or a task\(\) handle, got "nope"/);
        await rejectsAtCall(() => pool.apply(class A {} as never, []), TypeError, /got a class/);
      } finally {
        await pool.terminate();
      }
    });

    h.it('uncloneable arguments name their position', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        await rejectsAtCall(() => pool.apply(fx.echo, [1, Symbol('s')] as never), TypeError, /^args\[1\] could not be cloned \(symbol\)$/);
        await rejectsAtCall(() => pool.apply(fx.echo, [() => 1] as never), TypeError, /^args\[0\] could not be cloned \(function\)$/);
        await rejectsAtCall(() => pool.map(fx.echo, [1, 2, () => 3] as never), TypeError, /^iterable\[2\] could not be cloned \(function\)$/);
        throws(() => new Process({ target: fx.echo, args: [0, Symbol('x')] as never, context }), TypeError, /^args\[1\] could not be cloned \(symbol\)$/);
        // Deep inside a value, the position is found when the batch is sent.
        await rejects(pool.apply(fx.echo, [{ nested: { fn: () => 1 } }] as never), TypeError, /^args\[0\]\.nested\.fn could not be cloned \(function\)$/);
        equal(await pool.apply(fx.squ, [3]), 9, 'the pool goes on');
        await rejects(pool.apply(fx.returnsFunction, []), RemoteError, /could not be cloned \(function\)/);
        // A generator object names its kind (it read "could not be cloned ()").
        await rejects(pool.apply(function* gen(): Generator<number> { yield 1; }, []), RemoteError, /could not be cloned \(Generator\)/);
      } finally {
        await pool.terminate();
      }
    });

    h.it('work after close() or terminate() rejects with PoolClosedError', async () => {
      const a = new Pool({ processes: 1, context });
      a.close();
      await rejectsAtCall(() => a.map(fx.squ, [1]), PoolClosedError, /after close\(\)/);
      await rejectsAtCall(() => a.imap(fx.squ, [1]), PoolClosedError);
      await a.join();
      const b = new Pool({ processes: 1, context });
      await b.terminate();
      await rejectsAtCall(() => b.apply(fx.squ, [1]), PoolClosedError, /after terminate\(\)/);
      await rejectsAtCall(() => b.starmap(fx.add, [[1, 2]]), PoolClosedError);
    });

    h.it('task() and tasks() check their arguments', async () => {
      throws(() => task('./relative.js', 'x'), TypeError, /^moduleUrl must be an absolute URL .* got "\.\/relative\.js"/);
      throws(() => task(new URL('file:///x.js'), ''), TypeError, /^exportName must be a non-empty string/);
      const pool = new Pool({ processes: 1, context });
      try {
        const missing = task(new URL('./fixtures.js', import.meta.url.replace(/\.ts$/, '.js')), 'nope');
        await rejects(pool.apply(missing, []), RemoteError);
      } finally {
        await pool.terminate();
      }
    });
  });
}
