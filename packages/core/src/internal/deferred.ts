/**
 * Stand-ins for the shared-state half of the API (shared-state.ts), for the built index (entry.ts): a program
 * pays for that half only once it uses it. V8 compiles a module's every byte when it is imported (about
 * 30 µs per KB on the 2-core machine mp is measured on), and queues, locks, `Manager` and shared memory are
 * about half of @mp/core; a program that only runs pools never needs them.
 *
 * `new Queue()` stays synchronous, so the module is loaded synchronously on first use: by `require()` of ES
 * modules where the runtime has it (Node 20.19+, Deno, Bun: entry.ts), or given at import where it does not (a
 * browser bundle imports it eagerly: entry-browser.ts).
 *
 * A class's stand-in is a `Proxy` over a placeholder function that forwards everything to the real class once
 * loaded, so `new`, `instanceof`, `extends`, statics, `name` and `length` behave as the class's own, and
 * `Queue.prototype` is the real prototype (an instance made inside mp, a revived one say, is `instanceof` it).
 */
import type * as SharedState from '../shared-state.js';

export type SharedStateModule = typeof SharedState;

let loaded: SharedStateModule | undefined;
let loader: (() => SharedStateModule) | undefined;

/** How the module is loaded on first use, where it was not given (entry.ts). */
export function setSharedStateLoader(load: () => SharedStateModule): void {
  loader = load;
}

/** The module itself, loaded already (a browser bundle, entry-browser.ts; tests of the source). */
export function provideSharedState(module: SharedStateModule): void {
  loaded ??= module;
}

/**
 * How dist/shared-state.js finds the index that loads it: the loader offers the index's link (entry.ts) on
 * `globalThis` while the module evaluates, and the module takes it then (tsup.config.ts, `linkToIndex`). Not
 * by importing './index.js': a test runner that loads the index its own way (vitest does, for a package
 * outside node_modules) would have the module bind to a second copy of it, whose errors a program's
 * `instanceof` does not know.
 */
const LINK = Symbol.for('mp.core.link');

export interface LinkOffer {
  link: unknown;
  taken: boolean;
}

export function offerLink(link: unknown): LinkOffer {
  const offer: LinkOffer = { link, taken: false };
  (globalThis as { [LINK]?: LinkOffer })[LINK] = offer;
  return offer;
}

export function withdrawLink(): void {
  delete (globalThis as { [LINK]?: LinkOffer })[LINK];
}

/** The module, loaded now if it was not (`what` names what needs it, for the error where it cannot be). */
export function deferredModule(what: string): SharedStateModule {
  return sharedState(what);
}

function sharedState(what: string): SharedStateModule {
  if (loaded) return loaded;
  if (!loader) {
    throw new Error(
      `mp cannot load ${what} here: this runtime cannot load a module synchronously (no process.getBuiltinModule), ` +
        `and ${what} was not loaded with @mp/core. In a browser, import mp through a bundler that uses the "browser" ` +
        `export condition (Vite, esbuild and webpack do by default), which loads it with @mp/core.`,
    );
  }
  loaded = loader();
  return loaded;
}

type Name = keyof SharedStateModule;
type AnyFn = (...args: never[]) => unknown;

/** Instances exist only once the class is loaded: until then nothing is one. */
const isNone = (): boolean => false;

/** A stand-in for the class `name` of shared-state.ts. */
export function deferredClass<N extends Name>(name: N): SharedStateModule[N] {
  let real: AnyFn | undefined;
  const placeholder = function () {} as unknown as AnyFn & { prototype: unknown };
  Object.defineProperty(placeholder, 'name', { value: name });
  const resolve = (): AnyFn => {
    if (real === undefined) {
      const cls = sharedState(name)[name] as unknown as AnyFn & { prototype: { constructor: unknown } };
      real = cls;
      // Its `prototype` is the real one seen through the stand-in too (a Proxy may not report a value of a
      // non-configurable own property other than the target's), and an instance's `constructor` is the stand-in
      // a program compares with.
      placeholder.prototype = cls.prototype;
      Object.defineProperty(cls.prototype, 'constructor', { value: stand, writable: true, enumerable: false, configurable: true });
    }
    return real;
  };
  const self = (receiver: unknown): unknown => (receiver === stand ? resolve() : receiver);
  const stand: AnyFn = new Proxy(placeholder, {
    get: (_, key, receiver): unknown => (key === Symbol.hasInstance && real === undefined && loaded === undefined ? isNone : Reflect.get(resolve(), key, self(receiver))),
    set: (_, key, value, receiver) => Reflect.set(resolve(), key, value, self(receiver)),
    has: (_, key) => Reflect.has(resolve(), key),
    ownKeys: () => Reflect.ownKeys(resolve()),
    getOwnPropertyDescriptor: (target, key) => {
      const cls = resolve();
      return key === 'prototype' ? Reflect.getOwnPropertyDescriptor(target, key) : Reflect.getOwnPropertyDescriptor(cls, key);
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(resolve(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(resolve(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(resolve()),
    setPrototypeOf: (_, proto) => Reflect.setPrototypeOf(resolve(), proto),
    construct: (_, args, newTarget) => Reflect.construct(resolve(), args, newTarget === stand ? resolve() : newTarget) as object,
    apply: (_, thisArg, args): unknown => Reflect.apply(resolve(), thisArg, args),
  });
  return stand as unknown as SharedStateModule[N];
}

/** A stand-in for the function `name` of shared-state.ts; `async` for one that returns a promise (it then rejects, never throws). */
export function deferredFunction<N extends Name>(name: N, async = false): SharedStateModule[N] {
  // A function, not a method: `new Pipe()` works as it did.
  const call = function (this: unknown, ...args: unknown[]): unknown {
    if (!async) return Reflect.apply(sharedState(name)[name] as AnyFn, this, args);
    try {
      return Reflect.apply(sharedState(name)[name] as AnyFn, this, args);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the error as it was raised
      return Promise.reject(error);
    }
  };
  Object.defineProperty(call, 'name', { value: name });
  return call as unknown as SharedStateModule[N];
}
