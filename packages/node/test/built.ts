/** The built package (dist/), for tests of what ships: typed as the source it is built from. */
export type Api = typeof import('../src/index.ts');

/** The URL of the built entry, for programs that import it themselves. */
export const dist = new URL('../dist/index.js', import.meta.url).href;

export const built = (await import(dist)) as Api;
