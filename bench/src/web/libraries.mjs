/**
 * The libraries measured in runtimes with Web Workers (Deno, Bun, Chromium):
 * mp through that runtime's adapter, and the raw `Worker` baselines —
 * unbatched (one message per task) for (a), batched (1,000 items per message)
 * for (b). Mirrors ../node/libraries/{mp,raw-unbatched,raw-batched}.mjs.
 */
import { flatten } from '../core/chunks.mjs';
import { makeRecord } from '../core/record.mjs';
import { openRaw } from './raw-channel.mjs';

const BATCH = 1000;
const tasksUrl = new URL('./tasks.mjs', import.meta.url);

/** mp's pool adapter over `mod` (the runtime's `@mp/…` module): thread context, tasks by reference, 2 workers. */
function mpAdapter(mod) {
  const { Pool, task } = mod;
  const inc = task(tasksUrl, 'inc');
  return async () => {
    const pool = new Pool({ processes: 2, context: 'thread' });
    return {
      inc: (x) => pool.apply(inc, [x]),
      map: (items) => pool.map(inc, items),
      fib: () => Promise.reject(new Error('not measured in this runtime')),
      payload: () => Promise.reject(new Error('not measured in this runtime')),
      close: () => pool.terminate(),
    };
  };
}

/** @returns {() => Promise<import('../core/adapter.mjs').PoolAdapter>} */
function rawUnbatched() {
  return async () => {
    const raw = openRaw(2);
    const inc = (x) => raw.call('inc', x);
    return {
      inc,
      map: (items) => Promise.all(items.map(inc)),
      fib: (n) => raw.call('fib', n),
      payload: (buf, move) => raw.call('byteLength', buf, move ? [buf] : undefined),
      close: raw.close,
    };
  };
}

/** @returns {() => Promise<import('../core/adapter.mjs').PoolAdapter>} */
function rawBatched() {
  return async () => {
    const raw = openRaw(2);
    const submitAll = async (xs) => {
      const calls = [];
      for (let i = 0; i < xs.length; i += BATCH) calls.push(raw.call('incAll', xs.slice(i, i + BATCH)));
      return flatten(await Promise.all(calls));
    };
    return {
      inc: (x) => raw.call('inc', x),
      submitAll,
      map: submitAll,
      fib: (n) => raw.call('fib', n),
      payload: (buf, move) => raw.call('byteLength', buf, move ? [buf] : undefined),
      close: raw.close,
    };
  };
}

/**
 * @param {{ pkg: string, worker: string, importMp: () => Promise<any> }} o
 *   the runtime's mp package, how its raw baseline starts workers, and how to import mp
 */
export function webLibraries({ pkg, worker, importMp }) {
  return [
    { id: 'mp-thread', label: 'mp (thread)', role: 'subject', pkg, setting: `\`${pkg}\`, \`context: 'thread'\`, tasks by reference: \`task(url, 'inc')\`, 2 workers`, scenarios: ['apply', 'map', 'latency'], load: async () => mpAdapter(await importMp()) },
    { id: 'raw-unbatched', label: 'raw unbatched', role: 'raw', pkg: undefined, setting: `${worker}, one message and one promise per task`, scenarios: ['apply', 'latency'], load: async () => rawUnbatched() },
    { id: 'raw-batched', label: 'raw batched', role: 'raw', pkg: undefined, setting: `${worker}, 1,000 items per message, one promise per message`, scenarios: ['map'], load: async () => rawBatched() },
  ];
}

/** Which baseline each scenario compares mp with in these runtimes. */
export const baselineOf = { apply: 'raw-unbatched', map: 'raw-batched', latency: 'raw-unbatched' };

/** The scenarios these runtimes run (ids in ../core/scenarios/index.mjs). */
export const webScenarioIds = ['apply', 'map', 'latency'];

/**
 * Runs one cell in this process and returns its record (see ../core/record.mjs).
 * The same body as ../node/cell.mjs; each runtime's cell entry supplies the host and mp.
 */
export async function measureCell({ libraries, library: libraryId, scenario, mode, rep, host }) {
  const library = libraries.find((l) => l.id === libraryId);
  if (!library) throw new Error(`unknown library ${JSON.stringify(libraryId)}; expected one of ${libraries.map((l) => l.id).join(', ')}`);
  const size = scenario.sizes[mode];
  if (!size) throw new Error(`mode must be full or smoke, got ${JSON.stringify(mode)}`);
  const base = { runtime: host.runtime, library: library.id, scenario, rep: Number(rep), mode, unit: scenario.unit };
  try {
    const open = await library.load();
    const { value, details } = await scenario.measure({ open, host, size });
    return makeRecord({ ...base, value, details });
  } catch (error) {
    return makeRecord({ ...base, value: NaN, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}
