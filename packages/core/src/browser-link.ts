/** Offers the index's link to dist/shared-state.js, which entry-browser.ts imports right after this (internal/deferred.ts). */
import link from './entry.js';

link.offer();
