// Sent to Deno and Bun workers by reference: task(new URL('./tasks.ts', import.meta.url), 'cube').
// A .ts module: both runtimes import it directly.
export function cube(n: number): number {
  return n * n * n;
}
