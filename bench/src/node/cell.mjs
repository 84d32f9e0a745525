/**
 * One benchmark cell in a fresh process: `node cell.mjs <library> <scenario> [full|smoke] [rep]`.
 * Prints exactly one tagged JSON record line (see ../core/record.mjs) and exits.
 * Run it by hand to profile one cell: `node --cpu-prof src/node/cell.mjs mp-thread apply`.
 */
import { makeRecord, formatRecordLine } from '../core/record.mjs';
import { scenarioById } from '../core/scenarios/index.mjs';
import { libraryById } from './libraries/index.mjs';
import { host } from './host.mjs';

const [libraryId = '', scenarioId = '', mode = 'full', rep = '0'] = process.argv.slice(2);
const library = libraryById(libraryId);
const scenario = scenarioById(scenarioId);
const size = scenario.sizes[mode];
if (!size) throw new Error(`mode must be full or smoke, got ${JSON.stringify(mode)}`);

const base = { runtime: host.runtime, library: library.id, scenario, rep: Number(rep), mode, unit: scenario.unit };
// Some pools unref their workers until they are ready; keep this process alive while it measures.
const keepAlive = setInterval(() => {}, 1 << 30);
let record;
try {
  const open = await library.load(); // imported before any timing, as a program would have it
  const module = typeof library.module === 'function' ? library.module() : library.module ? { specifier: library.module } : undefined;
  const { value, details } = await scenario.measure({ open, host, size, module });
  record = makeRecord({ ...base, value, details });
} catch (error) {
  record = makeRecord({ ...base, value: NaN, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
clearInterval(keepAlive);
// Exit as soon as the line is out: a pool that leaves a handle behind must not stall the run.
process.stdout.write(`${formatRecordLine(record)}\n`, () => process.exit(0));
