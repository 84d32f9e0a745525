/**
 * The built index (dist/index.js): the API of index.ts, with the shared-state half (shared-state.ts) as
 * stand-ins that load dist/shared-state.js the first time one is used (internal/deferred.ts). Its declarations
 * are index.ts's. test/entry.test.ts checks that both export the same names.
 *
 * dist/shared-state.js is a bundle of its own that takes the modules whose state or classes must exist once
 * (errors, `Process`, daemons, the manager RPC registry and its waiters) from this file's default export (the
 * "link"), and carries its own copy of the stateless helpers it shares with this file (tsup.config.ts).
 */
import * as errors from './errors.js';
import * as daemons from './internal/daemons.js';
import { deferredClass, deferredFunction, deferredModule, offerLink, provideSharedState, setSharedStateLoader, withdrawLink, type SharedStateModule } from './internal/deferred.js';
import { setLaneCodec } from './internal/lane.js';
import * as waiters from './internal/manager-waiters.js';
import * as rpc from './internal/rpc.js';
import * as processModule from './process.js';

export * from './pool-api.js';

interface NodeLikeProcess {
  getBuiltinModule?(id: 'node:module'): { createRequire(from: string): (id: string) => unknown } | undefined;
}

// Node 20.19+ (the engines of every package), Deno and Bun have `process.getBuiltinModule` and `require()` of
// an ES module; a browser has neither, and its bundle loads the module with this one (entry-browser.ts).
setSharedStateLoader(() => {
  const builtins = (globalThis as { process?: NodeLikeProcess }).process;
  const module = builtins?.getBuiltinModule?.('node:module');
  if (!module) {
    throw new Error(
      `mp: this runtime cannot load @mp/core's dist/shared-state.js synchronously (no process.getBuiltinModule). In a ` +
        `browser, @mp/core is dist/index.browser.js: bundlers pick it by the "browser" export condition, and an import ` +
        `map must name it ("@mp/core": ".../dist/index.browser.js").`,
    );
  }
  const offer = offerLink(link);
  let loaded: SharedStateModule;
  try {
    loaded = module.createRequire(import.meta.url)('./shared-state.js') as SharedStateModule;
  } finally {
    withdrawLink();
  }
  // Not taken: the runtime had evaluated the module already, for another copy of this index (a test runner's own).
  if (!offer.taken) throw new Error(`mp: ${fileNameOf(import.meta.url)} was loaded twice in this program, and its shared-state classes were bound to the other copy`);
  return loaded;
});

function fileNameOf(url: string): string {
  return url.replace(/^file:\/\//, '');
}

// The lanes' encoding is dist/shared-state.js's copy, loaded when a pool makes its first lane (internal/lane.ts).
setLaneCodec(() => deferredModule('the shared-memory fast path').default);

/** The modules dist/shared-state.js takes from this file rather than carrying a copy (tsup.config.ts, `linked`). */
const link = {
  errors,
  process: processModule,
  daemons,
  rpc,
  waiters,
  provideSharedState,
  /** For entry-browser.ts, which imports the module itself: browser-link.ts offers the link before it evaluates. */
  offer: (): void => void offerLink(link),
  withdraw: withdrawLink,
};
export type Link = typeof link;
export default link;

export const Lock = deferredClass('Lock');
export const RLock = deferredClass('RLock');
export const Semaphore = deferredClass('Semaphore');
export const BoundedSemaphore = deferredClass('BoundedSemaphore');
export const Event = deferredClass('Event');
export const Condition = deferredClass('Condition');
export const Barrier = deferredClass('Barrier');
export const Value = deferredClass('Value');
export const SharedArray = deferredClass('SharedArray');
export const Manager = deferredClass('Manager');
export const DictProxy = deferredClass('DictProxy');
export const ListProxy = deferredClass('ListProxy');
export const QueueProxy = deferredClass('QueueProxy');
export const LockProxy = deferredClass('LockProxy');
export const ValueProxy = deferredClass('ValueProxy');
export const EventProxy = deferredClass('EventProxy');
export const RLockProxy = deferredClass('RLockProxy');
export const ConditionProxy = deferredClass('ConditionProxy');
export const SemaphoreProxy = deferredClass('SemaphoreProxy');
export const BoundedSemaphoreProxy = deferredClass('BoundedSemaphoreProxy');
export const BarrierProxy = deferredClass('BarrierProxy');
export const JoinableQueueProxy = deferredClass('JoinableQueueProxy');
export const ArrayProxy = deferredClass('ArrayProxy');
export const NamespaceProxy = deferredClass('NamespaceProxy');
export const wait = deferredFunction('wait', true);
export const waitSync = deferredFunction('waitSync');
export const SharedMemory = deferredClass('SharedMemory');
export const ShareableList = deferredClass('ShareableList');
export const Queue = deferredClass('Queue');
export const JoinableQueue = deferredClass('JoinableQueue');
export const SimpleQueue = deferredClass('SimpleQueue');
export const Pipe = deferredFunction('Pipe');
export const Connection = deferredClass('Connection');
