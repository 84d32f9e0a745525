/** The task module mp loads by reference (`task(url, 'inc')`) in Deno, Bun and the browser. */
export { inc, incAll, fib, byteLength } from '../core/work.mjs';
