/**
 * What a host runs in its own pool's workers when a call needs more than the caller's function: a `Process`
 * target whose output goes back to the caller, and the jobs of a caller pool that has an `initializer` (run
 * once in each host worker, for that pool, before its first job there).
 *
 * `runRemote` travels to the host's workers by value (its source), so it must stay self-contained: it may use
 * nothing from this module's scope. It resolves the caller's function itself (an import of a `file:` module, or
 * its source compiled), as core's worker does; the host has checked both against its allow rules first.
 */
import type { FnSpec, JobMode } from '@mp/core/wire';

/** One chunk of output: 1 for stdout, 2 for stderr, and the text. */
export type OutputChunk = [1 | 2, string];

/** What `runRemote` is asked to do. */
export interface RemoteCall {
  /** The caller pool's initializer, run once per host worker for `key` (the caller pool). */
  init?: { key: string; spec: FnSpec; args: unknown[] } | undefined;
  /**
   * `'init'` runs only the initializer; `'target'` runs a Process target and captures what it prints; `'applies'`
   * runs several applies one after another (`calls`) and answers each one's outcome and time (AppliesOutcome).
   */
  mode: JobMode | 'init' | 'target' | 'applies';
  fn?: FnSpec | undefined;
  data?: unknown;
  /** With `'apply'`: answer `[value, ms]`, the ms the function ran in this worker (how the caller's pool measures its cost). */
  timed?: boolean;
  /** With `'applies'`: each call's function and arguments. */
  calls?: { fn: FnSpec; data: unknown[] }[];
  /**
   * With `'target'`: where what the target prints goes while it runs — a manager proxy of the host's sink, whose
   * `write(caller, batch, chunks)` sends it to the caller and answers `true`. What it did not take comes back at the end.
   */
  live?: { sink: unknown; caller: string; batch: number } | undefined;
}

/** One call of an `'applies'` run: `[1, value, ms]`, or `[0, what it threw, ms]`. */
export type AppliesOutcome = [1, unknown, number] | [0, unknown, number];

/** The property a failed initializer's error carries from the host's worker back to the host. */
export const INIT_FAILED = 'mpNatsInitFailed';
/** Marks an error turned into plain data by an `'applies'` run (structured clone keeps no own properties of an Error). */
export const ERROR_DATA = 'mpNatsError';
/** The property a failed target's error carries its captured output in. */
export const OUTPUT = 'mpNatsOutput';

/** Runs in a host worker. Returns a job's value, `{ out }` for a target, or nothing for `'init'`. */
export async function runRemote(call: RemoteCall): Promise<unknown> {
  type Fn = (...args: unknown[]) => unknown;
  interface State {
    fns: Map<string, Fn>;
    inits: Map<string, Promise<void>>;
  }
  const g = globalThis as Record<symbol, unknown>;
  const state = (g[Symbol.for('mp.nats.worker')] ??= { fns: new Map(), inits: new Map() }) as State;
  // import() as written here would be rewritten by a bundler or a test runner that transforms this module (Vite
  // makes it a call of its own, which does not exist in the worker this source is compiled in): keep it out of reach.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

  const explain = (error: unknown, spec: FnSpec): unknown => {
    if (spec.kind !== 'source' || !(error instanceof ReferenceError)) return error;
    const m = /^(?:([\w$]+) is not defined|Can't find variable: ([\w$]+))$/.exec(error.message);
    if (!m) return error;
    const v = m[1] ?? m[2];
    const better = new ReferenceError(
      `${v} is not defined in the worker: ${spec.name || 'a function'} was sent by value, and a function sent by value ` +
        `cannot use variables captured from its enclosing scope. Define ${v} inside the function, pass it as an argument, ` +
        `or send the function by reference with task(new URL('./tasks.js', import.meta.url), '${spec.name || 'exportName'}')`,
    );
    if (error.stack) better.stack = `${better.name}: ${better.message}\n${error.stack.split('\n').slice(1).join('\n')}`;
    return better;
  };

  const resolve = async (spec: FnSpec): Promise<Fn> => {
    const key = spec.kind === 'module' ? `m ${spec.url}#${spec.name}` : `s ${spec.source}`;
    const cached = state.fns.get(key);
    if (cached) return cached;
    let fn: unknown;
    if (spec.kind === 'module') {
      const ns = (await load(spec.url)) as Record<string, unknown>;
      fn = ns[spec.name];
      if (typeof fn !== 'function') {
        throw new TypeError(`${spec.url} has no exported function named '${spec.name}' (got ${fn === undefined ? 'nothing' : typeof fn})`);
      }
    } else {
      try {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        fn = (new Function(`return (${spec.source}\n);`) as () => unknown)();
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        // Method shorthand (`{ f(n) { … } }.f`) stringifies as `f(n) { … }`.
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        fn = Object.values((new Function(`return ({${spec.source}\n});`) as () => Record<string, unknown>)())[0];
      }
      if (typeof fn !== 'function') throw new TypeError(`the source of ${spec.name || 'the function'} did not compile to a function`);
    }
    if (state.fns.size >= 1000) state.fns.clear();
    state.fns.set(key, fn as Fn);
    return fn as Fn;
  };

  const mark = (error: unknown, key: string, value: unknown): unknown => {
    if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
      try {
        Object.defineProperty(error, key, { value, enumerable: true, configurable: true, writable: true });
        if ((error as Record<string, unknown>)[key] === value) return error;
      } catch {
        // frozen: wrapped below
      }
    }
    const wrapped = new Error(String(error), { cause: error });
    (wrapped as unknown as Record<string, unknown>)[key] = value;
    return wrapped;
  };

  if (call.init) {
    const { key, spec, args } = call.init;
    let done = state.inits.get(key);
    if (!done) {
      done = (async () => {
        const fn = await resolve(spec);
        await fn(...args);
      })();
      // A worker serves many caller pools over its life: keep the newest few hundred.
      if (state.inits.size >= 500) state.inits.delete(state.inits.keys().next().value!);
      state.inits.set(key, done);
    }
    try {
      await done;
    } catch (error) {
      throw mark(explain(error, spec), 'mpNatsInitFailed', true);
    }
  }
  if (call.mode === 'init') return undefined;
  if (call.mode === 'applies') {
    // Each call's outcome as data, so one call's error fails only that call; values marked by transfer() stay so.
    const mark = Symbol.for('mp.transfer');
    // An error as plain data: a thread's structured clone would keep only an Error's name, message and stack.
    const asData = (error: unknown, depth: number): unknown => {
      if (!(error instanceof Error) || depth > 8) return error;
      const props: Record<string, unknown> = {};
      for (const key of Object.keys(error)) if (key !== 'cause') props[key] = (error as unknown as Record<string, unknown>)[key];
      const data: Record<string, unknown> = { mpNatsError: true, name: error.name, message: error.message, stack: error.stack, props };
      if ('cause' in error) data.cause = asData(error.cause, depth + 1);
      return data;
    };
    const outcomes: ([1, unknown, number] | [0, unknown, number])[] = [];
    let list: unknown[] | undefined;
    for (const { fn: spec, data } of call.calls!) {
      const started = performance.now();
      try {
        const fn = await resolve(spec);
        let value = await fn(...data);
        if (typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[mark] === true) {
          const t = value as { value: unknown; list: unknown[] };
          (list ??= []).push(...t.list);
          value = t.value;
        }
        outcomes.push([1, value, performance.now() - started]);
      } catch (error) {
        outcomes.push([0, asData(explain(error, spec), 0), performance.now() - started]);
      }
    }
    return list ? { [mark]: true, value: outcomes, list } : outcomes;
  }
  const spec = call.fn!;
  const fn = await resolve(spec).catch((error: unknown) => {
    throw explain(error, spec);
  });

  if (call.mode === 'target') {
    // What the target prints, in order, for the caller's output instead of this host's.
    const out: [1 | 2, string][] = [];
    let total = 0;
    // Live: what was printed goes to the host's sink every 20 ms, one write at a time, so the order holds; after a
    // write that failed (or was refused), the rest waits for the end of the call, behind what that write carried.
    const live = call.live;
    const sink = live?.sink as { write(caller: string, batch: number, chunks: [1 | 2, string][]): Promise<boolean> } | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let writing: Promise<void> | undefined;
    let broken = sink === undefined;
    const flush = (): void => {
      timer = undefined;
      if (broken || writing || out.length === 0) return;
      const chunks = out.splice(0);
      // Started from a resolved promise: a write that throws at once is a failed write too, and `writing` is set
      // before the chain can clear it.
      writing = Promise.resolve()
        .then(() => sink!.write(live!.caller, live!.batch, chunks))
        .then(
          (ok) => ok === true,
          () => false,
        )
        .then((taken) => {
          if (!taken) {
            broken = true;
            out.unshift(...chunks);
          }
          writing = undefined;
          if (out.length > 0) schedule();
        });
    };
    const schedule = (): void => {
      if (!broken && timer === undefined && writing === undefined) timer = setTimeout(flush, 20);
    };
    /** Ends the live writes: what the sink has not taken is in `out` once this resolves. */
    const settle = async (): Promise<void> => {
      clearTimeout(timer);
      timer = undefined;
      broken = true;
      while (writing) await writing;
    };
    const push = (stream: 1 | 2, text: string): void => {
      // Bounded: a target that prints without end must not fill this worker's memory.
      if (total > 32 << 20) return;
      total += text.length;
      if (total > 32 << 20) text = `${text.slice(0, text.length - (total - (32 << 20)))}\n[mp: the rest of this output was dropped after 32 Mi characters]\n`;
      const last = out[out.length - 1];
      if (last && last[0] === stream && last[1].length < 16_384) last[1] += text;
      else out.push([stream, text]);
      schedule();
    };
    let util: { format(...a: unknown[]): string; inspect(v: unknown, o?: unknown): string } | undefined;
    try {
      const name = 'node:util'; // not a literal: bundlers of a caller's code must not try to resolve it
      util = (await load(name)) as typeof util;
    } catch {
      // no node:util (a browser worker): plain strings
    }
    const format = (...a: unknown[]): string => (util ? util.format(...a) : a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));
    const c = console as unknown as Record<string, unknown>;
    const saved: [Record<string, unknown>, string, unknown][] = [];
    const replace = (on: Record<string, unknown>, name: string, value: unknown): void => {
      saved.push([on, name, on[name]]);
      on[name] = value;
    };
    for (const [name, stream] of [['log', 1], ['info', 1], ['debug', 1], ['warn', 2], ['error', 2]] as const) {
      replace(c, name, (...a: unknown[]) => push(stream, `${format(...a)}\n`));
    }
    replace(c, 'trace', (...a: unknown[]) => push(2, `Trace${a.length > 0 ? `: ${format(...a)}` : ''}\n${(new Error().stack ?? '').split('\n').slice(2).join('\n')}\n`));
    replace(c, 'dir', (v: unknown, o?: unknown) => push(1, `${util ? util.inspect(v, o) : format(v)}\n`));
    const proc = (globalThis as unknown as { process?: { stdout?: Record<string, unknown>; stderr?: Record<string, unknown> } }).process;
    const decoder = new TextDecoder();
    for (const [name, stream] of [['stdout', 1], ['stderr', 2]] as const) {
      const s = proc?.[name];
      if (!s || typeof s.write !== 'function') continue;
      replace(s, 'write', (chunk: unknown, encoding?: unknown, callback?: unknown) => {
        push(stream, typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? decoder.decode(chunk) : String(chunk));
        const cb = typeof encoding === 'function' ? encoding : callback;
        if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
        return true;
      });
    }
    const restore = (): void => {
      for (let i = saved.length - 1; i >= 0; i--) {
        const [on, name, value] = saved[i]!;
        on[name] = value;
      }
    };
    try {
      await fn(...(call.data as unknown[]));
    } catch (error) {
      restore();
      await settle();
      throw mark(explain(error, spec), 'mpNatsOutput', out);
    }
    restore();
    await settle();
    return { out };
  }

  try {
    if (call.mode === 'apply') {
      if (!call.timed) return await fn(...(call.data as unknown[]));
      const started = performance.now();
      const value = await fn(...(call.data as unknown[]));
      const ms = performance.now() - started;
      // A value marked by transfer() (@mp/core) stays marked around the pair, so this worker still moves its buffers.
      const mark = Symbol.for('mp.transfer');
      if (typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[mark] === true) {
        const t = value as { value: unknown; list: unknown };
        return { [mark]: true, value: [t.value, ms], list: t.list };
      }
      return [value, ms];
    }
    const items = call.data as unknown[];
    const results = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) {
      results[i] = await (call.mode === 'star' ? fn(...(items[i] as unknown[])) : fn(items[i]));
    }
    return results;
  } catch (error) {
    throw explain(error, spec);
  }
}
