/**
 * One benchmark cell in a fresh Bun process:
 * `bun run src/bun/cell.mjs <library> <scenario> [full|smoke] [rep]`.
 * Prints exactly one tagged JSON record line (see ../core/record.mjs) and exits.
 */
/* global Bun */
import { formatRecordLine } from '../core/record.mjs';
import { scenarioById } from '../core/scenarios/index.mjs';
import { measureCell, webLibraries } from '../web/libraries.mjs';

const [library = '', scenarioId = '', mode = 'full', rep = '0'] = process.argv.slice(2);
const libraries = webLibraries({ pkg: '@mp/bun', worker: 'Bun `Worker`s (module, Web Worker API)', importMp: () => import('@mp/bun') });

/** @type {import('../core/adapter.mjs').Host} */
const host = { runtime: 'bun', rss: () => process.memoryUsage.rss(), gc: () => Bun.gc(true) };

const keepAlive = setInterval(() => {}, 1 << 30);
const record = await measureCell({ libraries, library, scenario: scenarioById(scenarioId), mode, rep, host });
clearInterval(keepAlive);
process.stdout.write(`${formatRecordLine(record)}\n`, () => process.exit(0));
