/**
 * A host's rules for what it will run: modules only from under its `allow` roots (as `file:` URLs), functions
 * by value only with `allowSource`. A refusal is an error naming the host and the rule, sent back to the caller.
 * "Under" holds for the file itself: a symbolic link under a root that leads out of every root is refused.
 */
import { realpathSync } from 'node:fs';
import type { FnSpec } from '@mp/core/wire';

/** The path with every symbolic link resolved, or undefined when it does not exist (or cannot be read). */
function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Normalizes allow roots to absolute paths ending in '/'. */
export function allowRoots(allow: unknown, cwd: string): string[] {
  const list = allow === undefined ? [cwd] : allow;
  if (!Array.isArray(list) || list.length === 0) throw new TypeError(`allow must be a non-empty array of absolute paths, got ${Array.isArray(list) ? 'an empty array' : typeof list}`);
  return list.map((root: unknown, i) => {
    let path: string;
    if (root instanceof URL) path = decodeURIComponent(root.pathname);
    else if (typeof root === 'string' && root.startsWith('file:')) path = decodeURIComponent(new URL(root).pathname);
    else if (typeof root === 'string') path = root;
    else throw new TypeError(`allow[${i}] must be an absolute path or a file: URL, got ${typeof root}`);
    if (!path.startsWith('/')) throw new TypeError(`allow[${i}] must be an absolute path or a file: URL, got ${JSON.stringify(path)}`);
    const normalized = new URL(`file://${path}`).pathname;
    return decodeURIComponent(normalized.endsWith('/') ? normalized : `${normalized}/`);
  });
}

/**
 * Why `spec` is refused on this host, or `undefined` when it may run. `seen.missing` is set when the module's
 * file does not exist (yet): allowed, as its import fails on its own, but not to be remembered as allowed.
 */
export function refusal(spec: FnSpec, host: string, roots: readonly string[], allowSource: boolean, seen?: { missing?: boolean }): string | undefined {
  if (spec.kind === 'source') {
    return allowSource
      ? undefined
      : `host ${host} refuses functions sent by value (allowSource is false): send task(moduleUrl, exportName) of a module deployed on the host, or start the host with allowSource (--allow-source)`;
  }
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return `host ${host} refuses module ${JSON.stringify(spec.url.slice(0, 200))}: not a URL`;
  }
  if (url.protocol !== 'file:' || url.host !== '') {
    return `host ${host} refuses module ${url.href.slice(0, 200)}: only file: modules under its allow roots load (${roots.join(', ')})`;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return `host ${host} refuses module ${url.href.slice(0, 200)}: its path does not decode`;
  }
  // The URL parser has already resolved '.' and '..'; an escaped one ("%2e%2e", "%2f") would resolve again on disk.
  if (path.includes('\0') || /(^|\/)\.\.?(\/|$)/.test(path) || path !== url.pathname && /%2f|%5c|%2e/i.test(url.pathname)) {
    return `host ${host} refuses module ${url.href.slice(0, 200)}: its path holds escaped separators or dots`;
  }
  if (!roots.some((root) => path.startsWith(root))) {
    return `host ${host} refuses module ${url.href.slice(0, 200)}: not under its allow roots (${roots.join(', ')})`;
  }
  // The file imported is the one its real path names: a link under a root may lead anywhere. Roots count by their
  // real paths too (a root may itself be a link, as /tmp is on some systems).
  const file = realPath(path);
  if (file === undefined) {
    if (seen) seen.missing = true;
    return undefined;
  }
  const real = roots.map((root) => {
    const r = realPath(root);
    return r === undefined ? root : r.endsWith('/') ? r : `${r}/`;
  });
  if (!real.some((root) => file.startsWith(root))) {
    return `host ${host} refuses module ${url.href.slice(0, 200)}: its real path ${file.slice(0, 200)} (through a symbolic link) is not under its allow roots (${roots.join(', ')})`;
  }
  return undefined;
}
