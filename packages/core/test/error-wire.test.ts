import { describe, expect, it } from 'vitest';
import { reviveError, serializeError, toRemoteError } from '../src/internal/error-wire.ts';
import { Empty, MpError, RemoteError, TimeoutError, WorkerExitError } from '../src/errors.ts';

describe('errors as data', () => {
  it('round-trips built-in and mp error classes by name', () => {
    expect(reviveError(serializeError(new TypeError('t')))).toBeInstanceOf(TypeError);
    expect(reviveError(serializeError(new Empty('e')))).toBeInstanceOf(Empty);
    const w = reviveError(serializeError(new WorkerExitError('gone', { exitCode: 3, signal: null }))) as WorkerExitError;
    expect(w).toBeInstanceOf(WorkerExitError);
    expect(w.exitCode).toBe(3);
    const r = reviveError(serializeError(new RemoteError('r', { remoteName: 'X', remoteStack: 's' }))) as RemoteError;
    expect(r.remoteName).toBe('X');
  });

  it('keeps unknown names as a plain Error with that name, and keeps causes', () => {
    class Custom extends Error {
      override name = 'CustomError';
    }
    const e = reviveError(serializeError(new Error('outer', { cause: new Custom('inner') })));
    expect(e.constructor).toBe(Error);
    expect((e.cause as Error).name).toBe('CustomError');
    expect((e.cause as Error).message).toBe('inner');
  });

  it('never lets properties reach __proto__, constructor or methods', () => {
    const data = serializeError(Object.assign(new Error('x'), { safe: 1, toString: 'no', remoteName: 'no' }));
    data.props = { ...data.props, __proto__: { evil: true }, constructor: 'no', prototype: 'no' };
    const remote = toRemoteError(data);
    expect(Object.getPrototypeOf(remote)).toBe(RemoteError.prototype);
    expect(typeof remote.toString).toBe('function');
    expect(remote.remoteName).toBe('Error');
    expect((remote as unknown as { safe: number }).safe).toBe(1);
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
  });

  it('describes thrown non-errors and drops uncloneable properties', () => {
    expect(serializeError('oops').message).toContain('"oops"');
    expect(serializeError(42).thrown).toBe(42);
    const s = serializeError(Object.assign(new Error('x'), { fn: () => 1, n: 2 }));
    expect(s.props).toEqual({ n: 2 });
  });

  it('isInstance works by marker, across copies', () => {
    const foreign = Object.assign(new Error('x'), { name: 'TimeoutError', [Symbol.for('mp.error')]: true });
    expect(TimeoutError.isInstance(foreign)).toBe(true);
    expect(MpError.isInstance(foreign)).toBe(true);
    expect(Empty.isInstance(foreign)).toBe(false);
    expect(MpError.isInstance(new Error('x'))).toBe(false);
  });
});
