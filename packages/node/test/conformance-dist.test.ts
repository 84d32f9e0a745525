/**
 * The conformance suite again, against the built package: the worker that ships (dist/worker.cjs and
 * the chunks it requires when a task needs them) rather than the `.ts` source the other run starts.
 */
import { built } from './built.ts';
import { runNodeConformance } from './node-conformance.ts';

runNodeConformance(built, 'node (built)');
