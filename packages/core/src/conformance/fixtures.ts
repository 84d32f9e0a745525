/**
 * Task functions the conformance suite sends by reference (`task(url, name)`).
 * Test code only: unlike the library, a few fixtures look at which runtime they
 * run in, to end or crash a worker the way each runtime allows.
 */
import { workerIdentity } from '../internal/process-info.js';
import { transfer } from '../task.js';

type Env = {
  process?: { exit(code: number): never; memoryUsage?: () => { rss: number } };
  Deno?: { exit(code: number): never };
  close?: () => void;
};
const env = globalThis as unknown as Env;

export function squ(n: number): number {
  return n ** 2;
}

export function add(a: number, b: number): number {
  return a + b;
}

/** Waits `ms`, then returns `ms`. */
export async function sleep(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}

/** Waits `ms`, then returns `value`. */
export async function sleepThen(ms: number, value: unknown): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return value;
}

export function fail(message: string, props: Record<string, unknown> = {}): never {
  throw Object.assign(new RangeError(message), props);
}

/** Ends the worker from inside, with `code`. */
export function exitWith(code: number): void {
  if (env.process?.exit) env.process.exit(code);
  else if (env.Deno) env.Deno.exit(code);
  else env.close?.();
}

/** Throws outside any task: an uncaught error that ends the worker. */
export function crashInTimer(): Promise<never> {
  setTimeout(() => {
    throw new Error('crashed in a timer');
  }, 1);
  return new Promise(() => {});
}

/** Allocates until the heap limit ends the worker. */
export function exhaustMemory(): number {
  const hold: unknown[] = [];
  for (;;) hold.push(new Array(1e5).fill({ a: hold.length }));
}

/** Never returns. */
export function spin(): never {
  for (;;) {
    // a runaway synchronous task
  }
}

export function whoami(): { self: unknown; parent: unknown } {
  const id = workerIdentity();
  return { self: id?.self ?? null, parent: id?.parent ?? null };
}

let initValue: unknown;

export function init(value: unknown): void {
  initValue = value;
}

export function readInit(): unknown {
  return initValue;
}

export function byteSum(buffer: ArrayBuffer): { length: number; sum: number } {
  const view = new Uint8Array(buffer);
  let sum = 0;
  for (const b of view) sum += b;
  return { length: view.length, sum };
}

/** Returns a fresh buffer, moved (not copied) back to the parent. */
export function makeBuffer(size: number, fill: number): ArrayBuffer {
  const buffer = new ArrayBuffer(size);
  new Uint8Array(buffer).fill(fill);
  return transfer(buffer, [buffer]);
}

export function returnsFunction(): () => void {
  return () => {};
}

export function echo<T>(value: T): T {
  return value;
}
