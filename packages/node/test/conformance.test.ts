/** The conformance suite, run by vitest in both Node contexts, from the `.ts` source. */
import * as api from '../src/index.ts';
import { runNodeConformance } from './node-conformance.ts';

runNodeConformance(api, 'node');
