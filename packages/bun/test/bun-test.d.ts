/** The parts of `bun:test` the tests use, typed here so that tsc and eslint check them without bun-types. */
declare module 'bun:test' {
  type Body = () => void | Promise<void>;
  export function describe(name: string, body: () => void): void;
  export const it: {
    (name: string, body: Body, timeoutMs?: number): void;
    skip(name: string, body: Body): void;
  };
}
