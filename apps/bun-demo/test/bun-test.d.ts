/** The parts of `bun:test` the demo's test uses, typed here so that tsc and eslint check it without bun-types. */
declare module 'bun:test' {
  interface Matchers {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
    toContain(expected: string): void;
    toMatch(expected: RegExp): void;
  }
  export function expect(actual: unknown): Matchers;
  export function it(name: string, body: () => void | Promise<void>, timeoutMs?: number): void;
}
