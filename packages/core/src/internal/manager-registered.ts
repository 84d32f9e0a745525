/**
 * The program's own types served by a `Manager` (Python's `BaseManager.register`).
 * A registered object is reached only through the methods it exposes: the call
 * names a method, the manager checks it against the list fixed when the object
 * was made, and calls it on the object. No property, prototype or constructor is
 * reachable otherwise. What a method returns goes back as a copy; what it throws
 * goes back as a `RemoteError`.
 */
import { serializeError, toRemoteError } from './error-wire.js';
import type { ManagedKind } from './manager-server.js';
import type { Waiter } from './manager-waiters.js';
import { show } from './validate.js';

/** Names an `exposed` list may not hold: they reach the object's machinery, not its methods. */
const REFUSED = new Set(['constructor', '__proto__', 'prototype', 'then', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** @internal What the manager holds for one registered object. */
export interface RegisteredObject {
  typeid: string;
  instance: object;
  exposed: readonly string[];
  /** Its calls still running, rejected if the manager shuts down first (their methods run on, unheard). */
  running: Waiter[];
}

/** Validates `options.exposed` of `register()`; `undefined` means "every public method". */
export function checkExposed(value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new TypeError(`exposed must be an array of method names, got ${show(value)}`);
  value.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || name === '') throw new TypeError(`exposed[${i}] must be a method name (a non-empty string), got ${show(name)}`);
    if (REFUSED.has(name) || name.startsWith('#')) throw new TypeError(`exposed[${i}] may not be ${JSON.stringify(name)}: only the object's own methods can be exposed`);
  });
  return Object.freeze([...(value as string[])]);
}

/** Python's default: every public method (a name not starting with `_`) along the prototype chain. */
export function publicMethods(instance: object): readonly string[] {
  const names = new Set<string>();
  for (let o: object | null = instance; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name.startsWith('_') || REFUSED.has(name)) continue;
      const d = Object.getOwnPropertyDescriptor(o, name);
      if (d && typeof d.value === 'function') names.add(name);
    }
  }
  return Object.freeze([...names]);
}

/** Calls an exposed method; the call rejects with the others waiting in the manager if it shuts down first. */
function callExposed(target: RegisteredObject, method: string, args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const w: Waiter = { resolve, reject, timer: undefined };
    target.running.push(w);
    const leave = (): void => {
      const at = target.running.indexOf(w);
      if (at >= 0) target.running.splice(at, 1);
    };
    runExposed(target, method, args).then(
      (value) => {
        leave();
        resolve(value);
      },
      (error: unknown) => {
        leave();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error);
      },
    );
  });
}

async function runExposed(target: RegisteredObject, method: string, args: unknown[]): Promise<unknown> {
  if (!target.exposed.includes(method)) {
    throw new TypeError(`${target.typeid} does not expose ${method}(); it exposes ${target.exposed.map((m) => `${m}()`).join(', ') || 'no methods'}`);
  }
  const fn = (target.instance as Record<string, unknown>)[method];
  if (typeof fn !== 'function') throw new TypeError(`${target.typeid}.${method} is exposed but is not a method (it is ${show(fn)})`);
  let result: unknown;
  try {
    result = await (fn as (...a: unknown[]) => unknown).apply(target.instance, args);
  } catch (error) {
    throw toRemoteError(serializeError(error));
  }
  try {
    return structuredClone(result);
  } catch (error) {
    throw new TypeError(`${target.typeid}.${method}() returned a value that cannot be sent back by value (${show(result)})`, { cause: error });
  }
}

export const registeredKind: ManagedKind = {
  create: (init) => init,
  call: (target, method, args) => callExposed(target as RegisteredObject, method, args),
  waiters: (target) => (target as RegisteredObject).running,
};
