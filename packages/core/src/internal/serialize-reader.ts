/**
 * The reading half of `serialize.ts`: rebuilds a value from its bytes, with
 * shared and cyclic references restored in the order the writer met them.
 */
import { reviveError } from './error-wire.js';
import {
  UNDEFINED, NULL, TRUE, FALSE, INT32, FLOAT64, BIGINT, STRING8, STRING32, ARRAY, OBJECT, DATE,
  MAP, SET, REGEXP, ERROR, ARRAY_BUFFER, VIEW, REF, VIEW_CTORS, STRING16, HOLE, BOXED, BOX_CTORS,
} from './serialize-format.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const decoder = new TextDecoder();

export class Reader {
  readonly view: DataView;
  pos = 0;
  readonly refs: unknown[] = [];

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u32(): number {
    const n = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return n;
  }

  /**
   * A count of things each at least `size` bytes long, refused when the bytes left cannot hold them:
   * a corrupt length then never sizes an allocation (`new Array(n)` of a length read from the data).
   */
  count(size: number, what: string): number {
    const at = this.pos;
    const n = this.u32();
    if (n * size > this.bytes.length - this.pos) {
      throw new TypeError(`corrupt serialized data: ${what} of ${n} at byte ${at}, with ${this.bytes.length - this.pos} bytes left`);
    }
    return n;
  }

  string(): string {
    const tag = this.bytes[this.pos++];
    let n: number;
    if (tag === STRING8) n = this.bytes[this.pos++]!;
    else if (tag === STRING32) n = this.count(1, 'a string');
    else if (tag === STRING16) return this.utf16(this.count(2, 'a string'));
    else throw new TypeError(`corrupt serialized data: expected a string at byte ${this.pos - 1}`);
    return this.utf8(n);
  }

  /** `n` UTF-16 code units, little-endian, as written (lone surrogates kept). */
  utf16(n: number): string {
    const b = this.bytes;
    let p = this.pos;
    this.pos += n * 2;
    let s = '';
    const units: number[] = [];
    for (let i = 0; i < n; i++, p += 2) {
      units.push(b[p]! | (b[p + 1]! << 8));
      // In slices: String.fromCharCode takes its units as arguments, and an engine limits how many.
      if (units.length === 4096) {
        s += String.fromCharCode(...units);
        units.length = 0;
      }
    }
    return s + String.fromCharCode(...units);
  }

  utf8(n: number): string {
    const b = this.bytes;
    const start = this.pos;
    if (n > b.length - start) throw new TypeError(`corrupt serialized data: a string of ${n} bytes at byte ${start}, with ${b.length - start} bytes left`);
    this.pos += n;
    if (n <= 32) {
      let s = '';
      for (let i = start; i < start + n; i++) {
        const c = b[i]!;
        if (c >= 0x80) return decoder.decode(b.subarray(start, start + n));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return decoder.decode(b.subarray(start, start + n));
  }

  value(): unknown {
    const tag = this.bytes[this.pos++];
    switch (tag) {
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case TRUE:
        return true;
      case FALSE:
        return false;
      case INT32: {
        const n = this.view.getInt32(this.pos, true);
        this.pos += 4;
        return n;
      }
      case FLOAT64: {
        const n = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return n;
      }
      case BIGINT: {
        const negative = this.bytes[this.pos++] === 1;
        const count = this.count(8, 'a bigint');
        let v = 0n;
        for (let i = 0; i < count; i++) {
          v |= this.view.getBigUint64(this.pos, true) << BigInt(64 * i);
          this.pos += 8;
        }
        return negative ? -v : v;
      }
      case STRING8:
        return this.utf8(this.bytes[this.pos++]!);
      case STRING32:
        return this.utf8(this.count(1, 'a string'));
      case STRING16:
        return this.utf16(this.count(2, 'a string'));
      case ARRAY: {
        const n = this.count(1, 'an array');
        const a = new Array<unknown>(n);
        this.refs.push(a);
        for (let i = 0; i < n; i++) {
          if (this.bytes[this.pos] === HOLE) this.pos++;
          else a[i] = this.value();
        }
        return a;
      }
      case OBJECT: {
        const n = this.count(3, 'an object');
        const o: Record<string, unknown> = {};
        this.refs.push(o);
        for (let i = 0; i < n; i++) {
          const key = this.string();
          const v = this.value();
          if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
          else o[key] = v;
        }
        return o;
      }
      case DATE: {
        const d = new Date(this.view.getFloat64(this.pos, true));
        this.pos += 8;
        this.refs.push(d);
        return d;
      }
      case MAP: {
        const n = this.count(2, 'a map');
        const m = new Map<unknown, unknown>();
        this.refs.push(m);
        for (let i = 0; i < n; i++) {
          const k = this.value();
          m.set(k, this.value());
        }
        return m;
      }
      case SET: {
        const n = this.count(1, 'a set');
        const s = new Set<unknown>();
        this.refs.push(s);
        for (let i = 0; i < n; i++) s.add(this.value());
        return s;
      }
      case REGEXP: {
        const r = new RegExp(this.string(), this.string());
        this.refs.push(r);
        return r;
      }
      case ERROR:
        return this.error();
      case ARRAY_BUFFER: {
        const n = this.count(1, 'an array buffer');
        // Uint8Array's own slice copies; a Node Buffer's slice() is a view into a shared pool.
        const buffer = Uint8Array.prototype.slice.call(this.bytes, this.pos, this.pos + n).buffer;
        this.pos += n;
        this.refs.push(buffer);
        return buffer;
      }
      case VIEW: {
        const slot = this.refs.length;
        this.refs.push(undefined);
        const Ctor = VIEW_CTORS[this.bytes[this.pos++]!];
        const buffer = this.value();
        const offset = this.u32();
        const length = this.u32();
        if (!Ctor || !(buffer instanceof ArrayBuffer)) throw new TypeError('corrupt serialized data: bad typed array');
        const view = new Ctor(buffer, offset, length);
        this.refs[slot] = view;
        return view;
      }
      case BOXED: {
        const slot = this.refs.length;
        this.refs.push(undefined);
        const Box = BOX_CTORS[this.bytes[this.pos++]!];
        const box = Object(this.value()) as object;
        // The value must be the primitive its kind wraps (Object() of anything else is not an instance of it).
        if (!Box || !(box instanceof Box)) throw new TypeError(`corrupt serialized data: a bad primitive wrapper at byte ${this.pos}`);
        this.refs[slot] = box;
        return box;
      }
      case REF: {
        const id = this.u32();
        if (id >= this.refs.length) throw new TypeError(`corrupt serialized data: reference ${id} to nothing`);
        return this.refs[id];
      }
      default:
        throw new TypeError(`corrupt serialized data: unknown tag ${String(tag)} at byte ${this.pos - 1}`);
    }
  }

  error(): Error {
    const name = this.string();
    const message = this.string();
    const stack = this.value();
    const error = reviveError({ name, message, stack: typeof stack === 'string' ? stack : undefined });
    if (stack === undefined) delete (error as { stack?: string }).stack;
    this.refs.push(error);
    const n = this.count(3, 'error properties');
    for (let i = 0; i < n; i++) {
      const key = this.string();
      const v = this.value();
      if (FORBIDDEN_KEYS.has(key)) continue;
      if (key === 'cause') {
        Object.defineProperty(error, 'cause', { value: v, writable: true, configurable: true });
      } else if (!(key in error) || Object.hasOwn(error, key)) {
        Object.defineProperty(error, key, { value: v, enumerable: true, writable: true, configurable: true });
      }
    }
    return error;
  }
}

