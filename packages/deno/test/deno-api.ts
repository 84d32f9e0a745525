/**
 * The parts of Deno's API the tests use, typed here so that tsc and eslint
 * check the tests without Deno's own type library.
 */
export interface DenoTestApi {
  test(definition: {
    name: string;
    fn: () => void | Promise<void>;
    ignore?: boolean;
    sanitizeOps?: boolean;
    sanitizeResources?: boolean;
  }): void;
  execPath(): string;
  args: string[];
  env: { set(name: string, value: string): void; delete(name: string): void };
  Command: new (
    command: string,
    options: { args: string[]; cwd: string; stdout: 'piped'; stderr: 'piped'; signal?: AbortSignal | undefined },
  ) => { output(): Promise<{ code: number; stdout: Uint8Array; stderr: Uint8Array }> };
}

export const Deno = (globalThis as unknown as { Deno: DenoTestApi }).Deno;
