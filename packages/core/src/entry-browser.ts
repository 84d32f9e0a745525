/**
 * The built index for browser bundles (dist/index.browser.js, the "browser" export condition): a page cannot
 * load a module synchronously, so the shared-state half is imported with the index, and its stand-ins
 * (internal/deferred.ts) are given it at once. All three are the files the other runtimes load
 * (tsup.config.ts); imports run in order, so the link is offered before dist/shared-state.js takes it.
 */
import link from './entry.js';
import './browser-link.js';
import * as sharedState from './shared-state.js';

link.provideSharedState(sharedState);
link.withdraw();

export * from './entry.js';
export { default } from './entry.js';
