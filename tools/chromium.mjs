/**
 * Where the browser tests find Chromium, on any machine with Node and npm:
 *   1. `MP_CHROMIUM`, a path to a Chromium binary, when set;
 *   2. Debian's `/usr/bin/chromium`, when installed;
 *   3. else the Chromium shipped inside the npm package `@sparticuz/chromium` (a root devDependency),
 *      unpacked to the temp directory on first use (about 2 s), by one process at a time: `pnpm test:all` starts
 *      several browser suites at once, and the package's own check (does /tmp/chromium exist?) lets a second
 *      process launch a binary the first is still writing (`spawn ETXTBSY`).
 * Always launched with this repo's flags, not the npm package's own (those turn on SharedArrayBuffer
 * without cross-origin isolation and turn off web security, which the not-isolated tests must see).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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
  return unpackOnce(() => mod.default.executablePath());
}

/** How long a process waits for another one's unpacking, and when a lock is taken as left by a killed process. */
const UNPACK_WAIT_MS = 180_000;
const STALE_LOCK_MS = 120_000;

/**
 * Runs `unpack` (which writes Chromium into the temp directory and returns its path) in one process at a time,
 * once per version of the npm package: the process that takes the lock (an atomic mkdir) clears what an
 * interrupted unpacking may have left, unpacks, and writes a ready file naming the binary; the others wait for
 * that file. A lock older than STALE_LOCK_MS (its process was killed) is taken over.
 * @param {() => Promise<string>} unpack
 * @returns {Promise<string>}
 */
async function unpackOnce(unpack) {
  // The package's exports do not include its package.json: read it beside the entry (build/index.js).
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
  const dir = tmpdir();
  const ready = join(dir, `mp-chromium-${version}.ready`);
  const lock = join(dir, `mp-chromium-${version}.lock`);
  const readyPath = () => {
    try {
      const path = readFileSync(ready, 'utf8');
      return existsSync(path) ? path : undefined;
    } catch {
      return undefined;
    }
  };
  const deadline = Date.now() + UNPACK_WAIT_MS;
  for (;;) {
    const done = readyPath();
    if (done) return done;
    if (take(lock)) {
      try {
        const again = readyPath();
        if (again) return again;
        // What the package checks to skip its work: partial files of an unpacking that was interrupted.
        for (const name of ['chromium', 'fonts', 'libGLESv2.so', 'al2023']) rmSync(join(dir, name), { recursive: true, force: true });
        const path = await unpack();
        writeFileSync(`${ready}.${process.pid}`, path);
        renameSync(`${ready}.${process.pid}`, ready);
        return path;
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`Chromium: waited ${UNPACK_WAIT_MS / 1000} s for another process to unpack it (lock ${lock}); remove the lock and try again`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Takes the lock directory; false while another live process holds it. */
function take(lock) {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if (error?.code !== 'EEXIST') throw error;
  }
  try {
    if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
  } catch {
    // gone meanwhile: the next round tries again
  }
  return false;
}

/** @returns {Promise<{ executablePath: string, args: string[] }>} Playwright launch options. */
export async function chromiumLaunchOptions() {
  return { executablePath: await chromiumPath(), args: [...CHROMIUM_FLAGS] };
}
