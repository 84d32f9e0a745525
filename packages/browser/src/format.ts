/**
 * `console.log`'s arguments as one line of text, the way Node prints them
 * (`util.format`: `%s %d %i %f %j %o %O %c %%`, then the rest joined by spaces,
 * objects shown as `{ a: 1, b: [ 1, 2 ] }`), so a worker's output reads the
 * same as on the other runtimes. Kept small: depth 2, no colours, no getters.
 */

const MAX_DEPTH = 2;
const MAX_ITEMS = 100;

function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function list(items: string[], open: string, close: string): string {
  if (items.length === 0) return `${open}${close}`;
  return `${open} ${items.join(', ')} ${close}`;
}

/** One value as `util.inspect` shows it; strings are quoted when nested. */
export function inspect(value: unknown, depth = 0, seen: object[] = []): string {
  switch (typeof value) {
    case 'string':
      return depth === 0 ? value : quote(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'undefined':
      return 'undefined';
    case 'function': {
      const isClass = /^class\b/.test(Function.prototype.toString.call(value));
      return isClass ? `[class ${value.name || '(anonymous)'}]` : value.name ? `[Function: ${value.name}]` : '[Function (anonymous)]';
    }
    case 'boolean':
      return String(value);
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.includes(obj)) return '[Circular]';
  if (obj instanceof Error) return obj.stack ?? `${obj.name}: ${obj.message}`;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (obj instanceof RegExp) return String(obj);
  const inner = [...seen, obj];
  const show = (v: unknown): string => inspect(v, depth + 1, inner);
  const deep = depth > MAX_DEPTH;
  const more = (n: number): string[] => (n > MAX_ITEMS ? [`... ${n - MAX_ITEMS} more items`] : []);
  if (Array.isArray(obj)) {
    if (deep) return '[Array]';
    return list([...obj.slice(0, MAX_ITEMS).map(show), ...more(obj.length)], '[', ']');
  }
  if (obj instanceof Map) {
    if (deep) return '[Map]';
    return `Map(${obj.size}) ${list([...obj].slice(0, MAX_ITEMS).map(([k, v]) => `${show(k)} => ${show(v)}`), '{', '}')}`;
  }
  if (obj instanceof Set) {
    if (deep) return '[Set]';
    return `Set(${obj.size}) ${list([...obj].slice(0, MAX_ITEMS).map(show), '{', '}')}`;
  }
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const items = Array.from(obj as unknown as ArrayLike<number | bigint>);
    return `${obj.constructor.name}(${items.length}) ${list(items.slice(0, MAX_ITEMS).map((v) => inspect(v, 1)), '[', ']')}`;
  }
  const proto = Object.getPrototypeOf(obj) as object | null;
  const name = proto === null ? '[Object: null prototype] ' : proto === Object.prototype ? '' : `${proto.constructor?.name ?? 'Object'} `;
  if (deep) return name ? `[${name.trim()}]` : '[Object]';
  const entries = Object.entries(obj);
  return name + list([...entries.slice(0, MAX_ITEMS).map(([k, v]) => `${key(k)}: ${show(v)}`), ...more(entries.length)], '{', '}');
}

/** `console.log(...args)` as the text Node would print. */
export function format(args: readonly unknown[]): string {
  const first = args[0];
  if (typeof first === 'string' && first.includes('%') && args.length > 1) {
    let i = 1;
    const head = first.replace(/%([sdifjoOc%])/g, (match, spec: string) => {
      if (spec === '%') return '%';
      if (i >= args.length) return match;
      const arg = args[i++];
      switch (spec) {
        case 's':
          return typeof arg === 'string' ? arg : typeof arg === 'bigint' ? `${arg}n` : inspect(arg, 1);
        case 'd':
        case 'i': {
          if (typeof arg === 'bigint') return `${arg}n`;
          const n = Number(arg);
          return String(spec === 'i' ? Math.trunc(n) : n);
        }
        case 'f':
          return String(parseFloat(String(arg)));
        case 'j':
          try {
            return JSON.stringify(arg);
          } catch {
            return '[Circular]';
          }
        case 'c':
          return '';
        default:
          return inspect(arg, 1);
      }
    });
    return [head, ...args.slice(i).map((a) => inspect(a))].join(' ');
  }
  return args.map((a) => inspect(a)).join(' ');
}
