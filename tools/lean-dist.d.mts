import type { Options } from 'tsup';

/** A tsup plugin: empties comment-only lines and makes comments ASCII in every output file (see lean-dist.mjs). */
export function leanChunks(): NonNullable<Options['plugins']>[number];
/** The same for one file's code; throws if a change would touch code. */
export function leanCode(code: string, name: string): string;
