/** poolifier's worker script: a ThreadWorker exposing the benchmark's functions as named task functions. */
import { ThreadWorker } from 'poolifier';
import { inc, incAll, fib, byteLength } from '../../core/work.mjs';

export default new ThreadWorker({ inc, incAll, fib, byteLength });
