/** The parts of `bun:test` the demo's test uses, typed here so that tsc and eslint check it without bun-types. */
declare module 'bun:test' {
  interface Matchers {
    toEqual(expected: unknown): void;
  }
  export function expect(actual: unknown): Matchers;
  export function it(name: string, body: () => void | Promise<void>, timeoutMs?: number): void;
}
