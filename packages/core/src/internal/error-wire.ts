/**
 * Errors as plain data, so they can cross any message channel (a worker port, an
 * IPC pipe, one day a network queue) and be rebuilt on the far side.
 *
 * Rebuilding is deliberately defensive: only known classes are constructed by
 * name, and a remote error's own properties are copied with `defineProperty`,
 * never onto `__proto__`, `constructor`, `prototype` or anything the rebuilt
 * object already has (its methods and mp's own fields).
 */
import { errorClasses, MpError, RemoteError } from '../errors.js';

/** An error, reduced to structured-cloneable data. */
export interface SerializedError {
  /** The error's `name` (its class, rebuilt by name on the other side). */
  name: string;
  /** The error's `message`. */
  message: string;
  /** The error's `stack`, where it had one. */
  stack?: string | undefined;
  /** The error's own enumerable properties that survived cloning. */
  props?: Record<string, unknown> | undefined;
  /** The error's `cause`, as data. */
  cause?: SerializedError | undefined;
  /** Set when something other than an Error was thrown; holds it if it is cloneable. */
  thrown?: unknown;
  /** An `AggregateError`'s `errors` (its own property, not enumerable), each as data. */
  errors?: SerializedError[] | undefined;
}

/** How many of an AggregateError's `errors` cross; the rest are dropped. */
const MAX_ERRORS = 100;

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const SKIPPED = new Set(['name', 'message', 'stack', 'cause']);

const builtins: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

function cloneable(value: unknown): boolean {
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined' || t === 'bigint' || value === null) return true;
  if (t === 'function' || t === 'symbol') return false;
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** What `read` gives when a getter throws. */
const UNREADABLE = Symbol('unreadable');

/** Reads one part of a thrown value; a getter that throws (or a hostile proxy) gives `UNREADABLE`. */
function read(get: () => unknown): unknown {
  try {
    return get();
  } catch {
    return UNREADABLE;
  }
}

/**
 * Reduces any thrown value to data. Never throws: every part is read on its own, so a getter that
 * throws (on `name`, `message`, a property) loses that part only, not the worker.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  try {
    return serializeParts(error, depth);
  } catch {
    return { name: 'Error', message: 'a value was thrown that could not be read' };
  }
}

function serializeParts(error: unknown, depth: number): SerializedError {
  const looksLikeError = read(() => error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error && 'name' in error));
  if (looksLikeError !== true) {
    return {
      name: 'Error',
      message: `a non-Error value was thrown: ${describe(error)}`,
      thrown: cloneable(error) ? error : undefined,
    };
  }
  const e = error as Error & Record<string, unknown>;
  const name = read(() => String(e.name));
  const message = read(() => String(e.message));
  const out: SerializedError = {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : '(the error\'s message could not be read)',
  };
  const stack = read(() => e.stack);
  if (typeof stack === 'string') out.stack = stack;
  let props: Record<string, unknown> | undefined;
  const keys = read(() => Object.keys(e));
  for (const key of Array.isArray(keys) ? (keys as string[]) : []) {
    if (SKIPPED.has(key) || FORBIDDEN.has(key) || typeof key !== 'string') continue;
    const value = read(() => e[key]);
    if (value === UNREADABLE || !cloneable(value)) continue;
    (props ??= {})[key] = value;
  }
  if (props) out.props = props;
  const cause = read(() => e.cause);
  if (cause !== undefined && cause !== UNREADABLE && depth < 8) out.cause = serializeError(cause, depth + 1);
  const errors = read(() => (Object.prototype.hasOwnProperty.call(e, 'errors') ? e.errors : undefined));
  if (Array.isArray(errors) && depth < 8) out.errors = errors.slice(0, MAX_ERRORS).map((inner) => serializeError(inner, depth + 1));
  return out;
}

function describe(value: unknown): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol' || typeof value === 'function') return String(value);
    return String(JSON.stringify(value) ?? value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function copyProps(target: object, props: Record<string, unknown> | undefined): void {
  if (!props) return;
  for (const key of Object.keys(props)) {
    if (FORBIDDEN.has(key) || SKIPPED.has(key) || key in target) continue;
    Object.defineProperty(target, key, { value: props[key], enumerable: true, writable: true, configurable: true });
  }
}

/**
 * Rebuilds an error exactly as it was: an mp error class or a built-in error
 * class when the name is known, else a plain `Error` carrying the remote name.
 */
export function reviveError(data: SerializedError): Error {
  const cause = data.cause ? reviveError(data.cause) : undefined;
  const options = cause === undefined ? undefined : { cause };
  const Mp = (errorClasses as Record<string, unknown>)[data.name];
  let error: Error;
  if (Mp === RemoteError) {
    const p = data.props ?? {};
    error = new RemoteError(data.message, {
      remoteName: typeof p.remoteName === 'string' ? p.remoteName : 'Error',
      remoteStack: typeof p.remoteStack === 'string' ? p.remoteStack : undefined,
      cause,
    });
  } else if (typeof Mp === 'function' && Object.prototype.hasOwnProperty.call(errorClasses, data.name)) {
    const Cls = Mp as new (message: string, options: Record<string, unknown>) => MpError;
    const p = data.props ?? {};
    error = new Cls(data.message, { exitCode: p.exitCode ?? null, signal: p.signal ?? null, ...options });
  } else {
    const Builtin = Object.prototype.hasOwnProperty.call(builtins, data.name) ? builtins[data.name] : undefined;
    error = Builtin ? new Builtin(data.message, options) : new Error(data.message, options);
    if (!Builtin) Object.defineProperty(error, 'name', { value: data.name, writable: true, configurable: true });
  }
  if (data.stack !== undefined) Object.defineProperty(error, 'stack', { value: data.stack, writable: true, configurable: true });
  copyProps(error, data.props);
  if (data.thrown !== undefined) Object.defineProperty(error, 'thrown', { value: data.thrown, enumerable: true });
  defineErrors(error, data.errors);
  return error;
}

/** An AggregateError's `errors`, rebuilt, as its own property (not enumerable, as on an AggregateError). */
function defineErrors(target: Error, errors: SerializedError[] | undefined): void {
  if (!Array.isArray(errors) || Object.prototype.hasOwnProperty.call(target, 'errors')) return;
  Object.defineProperty(target, 'errors', { value: errors.map(reviveError), writable: true, configurable: true });
}

/**
 * Wraps what a task or process target threw in a `RemoteError`: its message is
 * the original message, `remoteName`/`remoteStack` describe the original, its
 * `cause` is the original rebuilt, and the original's own properties are copied.
 */
export function toRemoteError(data: SerializedError): RemoteError {
  const original = reviveError(data);
  const remote = new RemoteError(data.message, { remoteName: data.name, remoteStack: data.stack, cause: original });
  if (data.stack !== undefined && remote.stack !== undefined) {
    remote.stack = `${remote.stack}\n    --- in the worker ---\n${data.stack}`;
  }
  copyProps(remote, data.props);
  defineErrors(remote, data.errors);
  return remote;
}

/**
 * An error the running side reports as its own rather than the task's (`WireResult.own`: a task that timed out on
 * a cluster's host): rebuilt as its mp class. Any other name is treated as a task's error, so a worker cannot
 * make a task's failure look like anything but a `RemoteError` save through an mp error.
 */
export function ownError(data: SerializedError): Error {
  const known = Object.prototype.hasOwnProperty.call(errorClasses, data.name) && data.name !== 'RemoteError' && data.name !== 'MpError';
  return known ? reviveError(data) : toRemoteError(data);
}
