/**
 * Where the worker entry file is, and how to start it from `.ts` source during
 * development (Node 20 cannot load `.ts` itself; tests bootstrap tsx).
 *
 * Worked out when the first worker starts, not at import: a program's first
 * evaluation of `import.meta` loads Node's initializer for it, about 0.5 ms of
 * `import('@mp/node')`.
 */
import { fileURLToPath } from 'node:url';

let source: boolean | undefined;
let url: URL | undefined;

/** Whether this adapter runs from its `.ts` source (its tests), not from dist. */
export function fromSource(): boolean {
  return (source ??= import.meta.url.endsWith('.ts'));
}

/** The worker entry file. */
export function entryUrl(): URL {
  return (url ??= new URL(fromSource() ? './worker.ts' : './worker.cjs', import.meta.url));
}

/** The worker entry file, as a path. */
export function entryPath(): string {
  return fileURLToPath(entryUrl());
}

/** The URL of tsx's ESM loader, used only when running from source. */
export function tsxLoader(): string {
  return import.meta.resolve('tsx');
}

/** Code for an eval'd worker that registers tsx and then imports the entry. */
export function tsxBootstrap(): string {
  const api = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entryUrl().href)}); });`;
}
