/**
 * The conformance suite against the built package with the shared-memory fast path turned off
 * (`MP_FAST_PATH=0`): a thread's results then always arrive through the event loop, the path every
 * runtime without `pollSync` takes, so both paths stay tested.
 */
process.env.MP_FAST_PATH = '0';
const { built } = await import('./built.ts');
const { runNodeConformance } = await import('./node-conformance.ts');

// Child processes have no fast path: their run in conformance-dist.test.ts is the same either way.
runNodeConformance(built, 'node (built, fast path off)', ['thread']);
