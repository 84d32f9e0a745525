/**
 * Resolving a `context` option: the name of one of the adapter's contexts, or a `ContextProvider` (a context
 * that brings its own workers, e.g. a cluster). Either way the result is a runtime and the context name to
 * spawn with, so `Pool` and `Process` run the same code for both.
 */
import type { ContextProvider, Runtime } from '../runtime.js';
import { show } from './validate.js';

export interface ResolvedContext {
  runtime: Runtime;
  context: string;
}

function isProvider(value: unknown): value is ContextProvider {
  return typeof value === 'object' && value !== null && typeof (value as Partial<ContextProvider>).runtimeFor === 'function';
}

function expected(runtime: Runtime): string {
  return `one of ${runtime.contexts.map((c) => `'${c}'`).join(', ')} on ${runtime.name}, or a context object such as @mp/nats's cluster()`;
}

/** Throws a `TypeError` naming `context` and the value received when it is neither a known name nor a provider. */
export function resolveContext(option: unknown, adapter: Runtime): ResolvedContext {
  if (option === undefined) return { runtime: adapter, context: adapter.contexts[0] };
  if (typeof option === 'string') {
    if (adapter.contexts.includes(option)) return { runtime: adapter, context: option };
    throw new TypeError(`context must be ${expected(adapter)}, got ${show(option)}`);
  }
  if (!isProvider(option)) throw new TypeError(`context must be ${expected(adapter)}, got ${show(option)}`);
  const runtime = option.runtimeFor(adapter);
  if (typeof runtime !== 'object' || runtime === null || typeof runtime.spawn !== 'function' || !Array.isArray(runtime.contexts)) {
    throw new TypeError(`context.runtimeFor() must return a Runtime (spawn, contexts, cpuCount, pid), got ${show(runtime)}`);
  }
  return { runtime, context: runtime.contexts[0] };
}
