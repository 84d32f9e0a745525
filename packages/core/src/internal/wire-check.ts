/**
 * Checks what a worker sends before the parent acts on it. A worker runs user
 * code, which can post to the same port mp uses: a message that is not mp's
 * (no known `type`) is the task's own business and is ignored, but one that
 * claims to be mp's and has the wrong shape must not throw inside the parent's
 * message handler (an uncaught exception in the user's program) or corrupt the
 * pool's state.
 */
import type { SerializedError } from './error-wire.js';

const TYPES = new Set(['ready', 'initFailed', 'done', 'targetDone', 'uncaught', 'rpc']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isSerializedError(v: unknown, depth = 0): v is SerializedError {
  if (!isObject(v) || typeof v.name !== 'string' || typeof v.message !== 'string') return false;
  if (v.stack !== undefined && typeof v.stack !== 'string') return false;
  if (v.props !== undefined && (!isObject(v.props) || Array.isArray(v.props))) return false;
  if (v.errors !== undefined && (!Array.isArray(v.errors) || depth >= 16 || !v.errors.every((e) => isSerializedError(e, depth + 1)))) return false;
  return v.cause === undefined || (depth < 16 && isSerializedError(v.cause, depth + 1));
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 120 ? `${s.slice(0, 120)}…` : s;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/**
 * `'foreign'` for a message that is not mp's, a description of what is wrong with a message that
 * claims to be mp's, or undefined for a well-formed one.
 */
export function checkFromWorker(m: unknown): string | undefined {
  if (!isObject(m) || typeof m.type !== 'string' || !TYPES.has(m.type)) return 'foreign';
  const bad = (what: string) => `'${String(m.type)}' message ${what}: ${show(m)}`;
  switch (m.type) {
    case 'done': {
      if (!Array.isArray(m.results) || typeof m.ms !== 'number') return bad('without a results list and a time');
      const results = m.results as unknown[];
      for (let i = 0; i < results.length; i++) {
        const r = results[i];
        if (!isObject(r) || typeof r.id !== 'number' || typeof r.ok !== 'boolean') return bad('with a result that is not { id, ok }');
        if (!r.ok && !isSerializedError(r.error)) return bad('with a failure that carries no error');
        if (r.own !== undefined && r.own !== true) return bad('with a failure whose `own` is not true');
      }
      return undefined;
    }
    case 'initFailed':
    case 'uncaught':
      return isSerializedError(m.error) ? undefined : bad('without an error');
    case 'targetDone':
      return m.error === undefined || isSerializedError(m.error) ? undefined : bad('with a malformed error');
    case 'rpc':
      return isObject(m.data) ? undefined : bad('without data');
    default:
      return undefined;
  }
}
