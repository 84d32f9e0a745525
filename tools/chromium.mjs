/**
 * Where the browser tests find Chromium, on any machine with Node and npm:
 *   1. `MP_CHROMIUM`, a path to a Chromium binary, when set;
 *   2. Debian's `/usr/bin/chromium`, when installed;
 *   3. else the Chromium shipped inside the npm package `@sparticuz/chromium` (a root devDependency),
 *      unpacked to the temp directory on first use (about 2 s).
 * Always launched with this repo's flags, not the npm package's own (those turn on SharedArrayBuffer
 * without cross-origin isolation and turn off web security, which the not-isolated tests must see).
 */
import { existsSync } from 'node:fs';

/** The Chromium flags used everywhere in this repo (Playwright adds headless mode itself). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** @returns {Promise<string>} the path of a Chromium binary to launch. */
export async function chromiumPath() {
  const fromEnv = process.env.MP_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`MP_CHROMIUM is set to ${JSON.stringify(fromEnv)}, but no file is there`);
    return fromEnv;
  }
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  let mod;
  try {
    mod = await import('@sparticuz/chromium');
  } catch (error) {
    throw new Error(
      'no Chromium found: set MP_CHROMIUM, install Debian\'s chromium, or run `pnpm install` (it brings @sparticuz/chromium)',
      { cause: error },
    );
  }
  return mod.default.executablePath();
}

/** @returns {Promise<{ executablePath: string, args: string[] }>} Playwright launch options. */
export async function chromiumLaunchOptions() {
  return { executablePath: await chromiumPath(), args: [...CHROMIUM_FLAGS] };
}
