/**
 * One benchmark cell in a fresh Deno process:
 * `deno run -A src/deno/cell.mjs <library> <scenario> [full|smoke] [rep]`.
 * Prints exactly one tagged JSON record line (see ../core/record.mjs) and exits.
 */
/* global Deno */
import { formatRecordLine } from '../core/record.mjs';
import { scenarioById } from '../core/scenarios/index.mjs';
import { measureCell, webLibraries } from '../web/libraries.mjs';

const [library = '', scenarioId = '', mode = 'full', rep = '0'] = Deno.args;
const libraries = webLibraries({ pkg: '@mp/deno', worker: 'Deno module `Worker`s', importMp: () => import('@mp/deno') });

/** @type {import('../core/adapter.mjs').Host} */
const host = { runtime: 'deno', rss: () => Deno.memoryUsage().rss, gc: () => {} };

const keepAlive = setInterval(() => {}, 1 << 30);
const record = await measureCell({ libraries, library, scenario: scenarioById(scenarioId), mode, rep, host });
clearInterval(keepAlive);
Deno.stdout.writeSync(new TextEncoder().encode(`${formatRecordLine(record)}\n`));
Deno.exit(0);
