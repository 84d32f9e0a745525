/**
 * The proxy of an object of the program's own type (`manager.register`): every
 * exposed method becomes an awaitable call to the manager, in any worker. A
 * name that is not exposed gives a function that rejects, naming the method and
 * what is exposed; nothing else of the object can be reached.
 */
import { callRef, ManagedProxy, type ProxyRef } from './managed-proxy.js';

/** The public method names of `T` (Python's default `exposed`: names not starting with `_`). */
export type PublicMethods<T> = {
  [K in keyof T]: K extends `_${string}` ? never : T[K] extends (...args: never[]) => unknown ? K : never;
}[keyof T] &
  string;

/** What a proxy of a registered `T` offers: each exposed method, awaitable, its result a copy. */
export type RegisteredProxy<T, E extends string = PublicMethods<T>> = {
  readonly [K in E & keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** Read through to the target (never a remote call): what JavaScript itself asks of an object. */
const LOCAL = new Set(['constructor', 'toString', 'valueOf', 'toLocaleString']);
/**
 * Answered `undefined` unless exposed: names that tools probe for to decide what an object is (`then`
 * would make the proxy look like a promise to `await`, and can never be exposed; test matchers and
 * serializers ask for the others).
 */
const ABSENT = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType', 'inspect']);


/** @internal Builds the proxy for `ref` (here, or in a worker that received one). */
export function makeRegisteredProxy(ref: ProxyRef): object {
  const typeid = ref.typeid ?? 'object';
  const exposed = ref.exposed ?? [];
  // The target only answers [SHARE] (so the proxy crosses to workers) and the LOCAL names.
  const target = new (class extends ManagedProxy {
    override toString(): string {
      return `[${typeid} proxy]`;
    }
  })(ref);
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  for (const name of exposed) methods.set(name, (...args) => callRef(ref, name, args));
  const refuse = (name: string) => (): Promise<never> =>
    Promise.reject(
      new TypeError(`${typeid} does not expose ${name}(); it exposes ${exposed.map((m) => `${m}()`).join(', ') || 'no methods'}`),
    );
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === 'symbol' || LOCAL.has(prop)) {
        const v: unknown = Reflect.get(t, prop, t);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      }
      const method = methods.get(prop);
      if (method) return method;
      return ABSENT.has(prop) ? undefined : refuse(prop);
    },
    has: (_t, prop) => typeof prop === 'string' && methods.has(prop),
    set(_t, prop) {
      throw new TypeError(`a ${typeid} proxy cannot be assigned to (${String(prop)}); call its methods`);
    },
    defineProperty(_t, prop) {
      throw new TypeError(`a ${typeid} proxy cannot be assigned to (${String(prop)}); call its methods`);
    },
  });
}

