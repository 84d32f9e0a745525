/**
 * The conformance suite again, against the built package: the worker that ships (dist/worker.cjs and
 * the chunks it requires when a task needs them) rather than the `.ts` source the other run starts.
 */
import { runNodeConformance } from './node-conformance.ts';

const api = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index.ts');
runNodeConformance(api, 'node (built)');
