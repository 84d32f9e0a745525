/**
 * One benchmark cell on a page: `page.html?library=…&scenario=…&mode=…&rep=…`.
 * Sets `window.mpBenchRecord` to the tagged JSON record line (see ../core/record.mjs).
 */
/* global location, crossOriginIsolated, window */
import { formatRecordLine } from '../core/record.mjs';
import { scenarioById } from '../core/scenarios/index.mjs';
import { measureCell, webLibraries } from '../web/libraries.mjs';

const q = new URLSearchParams(location.search);
const libraries = webLibraries({ pkg: '@mp/browser', worker: 'module `Worker`s on the page', importMp: () => import('@mp/browser') });

/** @type {import('../core/adapter.mjs').Host} */
const host = { runtime: 'chromium', rss: () => NaN, gc: () => {} };

const record = await measureCell({ libraries, library: q.get('library') ?? '', scenario: scenarioById(q.get('scenario') ?? ''), mode: q.get('mode') ?? 'full', rep: q.get('rep') ?? '0', host });
record.details.crossOriginIsolated = crossOriginIsolated ? 1 : 0;
window.mpBenchRecord = formatRecordLine(record);
