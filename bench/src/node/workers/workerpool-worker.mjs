/** workerpool's worker script: registers the benchmark's functions by name for `pool.exec(name, args)`. */
import workerpool from 'workerpool';
import { inc, incAll, fib, byteLength } from '../../core/work.mjs';

workerpool.worker({ inc, incAll, fib, byteLength });
