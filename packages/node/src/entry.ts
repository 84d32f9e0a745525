/**
 * Where the worker entry file is, and how to start it from `.ts` source during
 * development (Node 20 cannot load `.ts` itself; tests bootstrap tsx).
 */
import { fileURLToPath } from 'node:url';

export const fromSource = import.meta.url.endsWith('.ts');
export const entryUrl = new URL(fromSource ? './worker.ts' : './worker.cjs', import.meta.url);
export const entryPath = fileURLToPath(entryUrl);

/** The URL of tsx's ESM loader, used only when running from source. */
export function tsxLoader(): string {
  return import.meta.resolve('tsx');
}

/** Code for an eval'd worker that registers tsx and then imports the entry. */
export function tsxBootstrap(): string {
  const api = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entryUrl.href)}); });`;
}
