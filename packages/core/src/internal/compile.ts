/**
 * Turns an `FnSpec` into a callable inside a worker. Source is compiled once and
 * cached by its text; modules are imported once and cached by URL.
 */
import type { FnSpec } from './protocol.js';

type Fn = (...args: unknown[]) => unknown;

const bySource = new Map<string, Fn>();

function compileSource(source: string, name: string): Fn {
  const cached = bySource.get(source);
  if (cached) return cached;
  let fn: unknown;
  try {
    // The newline guards against a trailing line comment in the source.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    fn = (new Function(`return (${source}\n);`) as () => unknown)();
  } catch (error) {
    if (isCodegenRefused(error)) throw codegenError(name, error);
    if (!(error instanceof SyntaxError)) throw error;
    // Method shorthand (`{ squ(n) { … } }.squ`) stringifies as `squ(n) { … }`.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const holder = (new Function(`return ({${source}\n});`) as () => Record<string, unknown>)();
    fn = Object.values(holder)[0];
  }
  if (typeof fn !== 'function') throw new TypeError(`the source of ${name || 'the function'} did not compile to a function`);
  bySource.set(source, fn as Fn);
  return fn as Fn;
}

function isCodegenRefused(error: unknown): boolean {
  return error instanceof EvalError || /unsafe-eval|Content Security Policy|Code generation from strings/i.test(String(error));
}

function codegenError(name: string, cause: unknown): Error {
  return new EvalError(
    `this worker may not compile source (a Content Security Policy without 'unsafe-eval'), so ${name || 'the function'} ` +
      `cannot be sent by value; send it by reference with task(new URL('./tasks.js', import.meta.url), '${name || 'exportName'}')`,
    { cause },
  );
}

type Namespace = Record<string, unknown>;

/**
 * Loads a module synchronously where the runtime can (see WorkerPort.importSync); set by the
 * worker runtime and used for the first function the worker resolves only. Until then no code of
 * the user's has run in this worker, so no `import()` of theirs can be under way: Node's
 * `require()` of an ES module that an unfinished `import()` is still linking fails, or aborts
 * the process. Later modules load through `import()`, once each, off the start-up path.
 */
let importSync: ((url: string) => Namespace | undefined) | undefined;

/** Lets `resolveFn` load the worker's first module through the worker's port. */
export function useImportSync(load: ((url: string) => Namespace | undefined) | undefined): void {
  importSync = load;
}

const modules = new Map<string, Namespace | Promise<Namespace>>();

function importExport(url: string, name: string): Fn | Promise<Fn> {
  let mod = modules.get(url);
  if (!mod) {
    // A module the port loads synchronously gives the first task its function without a turn of
    // the event loop (on Node, without starting its asynchronous ESM loader: 1–2.5 ms sooner in a pool).
    const load = importSync;
    importSync = undefined;
    mod = load?.(url);
    if (!mod) {
      const loading = import(/* @vite-ignore */ url) as Promise<Namespace>;
      loading.catch(() => modules.delete(url));
      mod = loading;
    }
    modules.set(url, mod);
  }
  return mod instanceof Promise ? mod.then((ns) => exported(ns, url, name)) : exported(mod, url, name);
}

function exported(ns: Namespace, url: string, name: string): Fn {
  const fn = ns[name];
  if (typeof fn !== 'function') {
    const available = Object.keys(ns).filter((k) => typeof ns[k] === 'function');
    throw new TypeError(
      `${url} has no exported function named '${name}' (got ${fn === undefined ? 'nothing' : typeof fn}); ` +
        `its exported functions are: ${available.join(', ') || 'none'}`,
    );
  }
  return fn as Fn;
}

/** Resolves a spec to a function; synchronous for source (and for modules the port loads synchronously), so the hot path never awaits. */
export function resolveFn(spec: FnSpec): Fn | Promise<Fn> {
  if (spec.kind === 'module') return importExport(spec.url, spec.name);
  importSync = undefined; // user code is about to run
  return compileSource(spec.source, spec.name);
}

const NOT_DEFINED = /^(?:([\w$]+) is not defined|Can't find variable: ([\w$]+))$/;

/**
 * A by-value function that used a variable from its enclosing scope fails with a
 * ReferenceError in the worker; say so, and point to `task()`.
 */
/** `instanceof ReferenceError`, for any thrown value: a revoked Proxy throws on the question itself. */
function isReferenceError(error: unknown): error is ReferenceError {
  try {
    return error instanceof ReferenceError;
  } catch {
    return false;
  }
}

export function explainCapture(error: unknown, spec: FnSpec): unknown {
  if (spec.kind !== 'source' || !isReferenceError(error)) return error;
  const match = NOT_DEFINED.exec(error.message);
  if (!match) return error;
  const variable = match[1] ?? match[2];
  const better = new ReferenceError(
    `${variable} is not defined in the worker: ${spec.name || 'a function'} was sent by value, and a function sent by value ` +
      `cannot use variables captured from its enclosing scope. Define ${variable} inside the function, pass it as an argument, ` +
      `or send the function by reference with task(new URL('./tasks.js', import.meta.url), '${spec.name || 'exportName'}')`,
  );
  if (error.stack) better.stack = `${better.name}: ${better.message}\n${error.stack.split('\n').slice(1).join('\n')}`;
  return better;
}
