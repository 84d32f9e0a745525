/** Where the worker entry file is: `.ts` from source (Bun runs it directly), `.js` from dist. */
import { fileURLToPath } from 'node:url';

export const entryUrl = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
export const entryPath = fileURLToPath(entryUrl);
