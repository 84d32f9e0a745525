/**
 * The task module loaded by reference: mp (`task(url, 'inc')`), piscina and
 * tinypool (`run(x, { name: 'inc' })`) all import this file in their workers.
 */
export { inc, incAll, fib, byteLength } from '../../core/work.mjs';
