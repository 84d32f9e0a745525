// Sent to workers by reference: task(new URL('./tasks.mjs', import.meta.url), 'cube').
export function cube(n) {
  return n * n * n;
}
