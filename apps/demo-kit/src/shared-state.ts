/**
 * After Q6: shared state across workers, the part of Python's multiprocessing
 * that JavaScript worker libraries lack. A producer/consumer pipeline through a
 * Queue, a Lock-guarded counter beside an unguarded one, and a Barrier.
 */
import type { Barrier, Lock, Queue, Value } from '@mp/core';
import type { Demo } from './api.ts';

/** Sent by value: puts `count` numbers on the queue, then one `null` per consumer. */
function producer(queue: Queue<number | null>, from: number, count: number): number {
  for (let i = 0; i < count; i++) queue.putSync(from + i);
  return count;
}

/** Sent by value: sums numbers from the queue until it takes a `null`. */
function consumer(queue: Queue<number | null>): { items: number; sum: number } {
  let items = 0;
  let sum = 0;
  for (let n = queue.getSync(); n !== null; n = queue.getSync()) {
    items++;
    sum += n;
  }
  return { items, sum };
}

/** Sent by value: waits for every worker at `start`, then adds 1 to `counter` `times` times, under `lock` when given. */
function increment(start: Barrier, counter: Value<'i32'>, lock: Lock | null, times: number): void {
  start.waitSync();
  for (let i = 0; i < times; i++) {
    if (lock) lock.acquireSync();
    counter.value = counter.value + 1; // a read, then a write: another worker may write in between
    if (lock) lock.release();
  }
}

/** Sent by value: three phases, all workers finishing each phase before any starts the next. */
function phases(barrier: Barrier, log: Value<'i32'>): number[] {
  const order: number[] = [];
  for (let phase = 1; phase <= 3; phase++) {
    order.push(log.add(1)); // the arrival number across all workers
    barrier.waitSync();
  }
  return order;
}

export async function sharedState({ mp }: Demo): Promise<void> {
  await using pool = new mp.Pool({ processes: 4 });

  const queue = new mp.Queue<number | null>({ maxsize: 64 });
  const consumers = [pool.apply(consumer, [queue]), pool.apply(consumer, [queue])];
  await Promise.all([pool.apply(producer, [queue, 0, 25_000]), pool.apply(producer, [queue, 25_000, 25_000])]);
  await queue.put(null);
  await queue.put(null);
  const got = await Promise.all(consumers);
  const items = got.reduce((a, g) => a + g.items, 0);
  const sum = got.reduce((a, g) => a + g.sum, 0);
  console.log('Queue: 2 producers × 25,000 numbers through a Queue({ maxsize: 64 }) to 2 consumers');
  console.log(`  consumers took ${got.map((g) => g.items.toLocaleString('en-US')).join(' + ')} = ${items.toLocaleString('en-US')} items, sum ${sum} (expected ${(49_999 * 50_000) / 2}): nothing lost, nothing twice`);

  const guarded = new mp.Value('i32', 0);
  const unguarded = new mp.Value('i32', 0);
  const lock = new mp.Lock();
  const times = 100_000;
  const start = new mp.Barrier(4);
  await Promise.all(Array.from({ length: 4 }, () => pool.apply(increment, [start, guarded, lock, times])));
  await Promise.all(Array.from({ length: 4 }, () => pool.apply(increment, [start, unguarded, null, times])));
  const lost = 4 * times - unguarded.value;
  console.log(`\nLock: 4 workers, started together, each add 1 to a shared Value ${times.toLocaleString('en-US')} times`);
  console.log(`  with a Lock:    ${guarded.value.toLocaleString('en-US')}`);
  console.log(`  without a Lock: ${unguarded.value.toLocaleString('en-US')}  (${lost.toLocaleString('en-US')} updates lost: two workers read the same value, both wrote value + 1)`);

  const barrier = new mp.Barrier(4);
  const arrivals = new mp.Value('i32', 0);
  const orders = await Promise.all(Array.from({ length: 4 }, () => pool.apply(phases, [barrier, arrivals])));
  const phaseOf = (arrival: number) => Math.floor(arrival / 4) + 1;
  const inOrder = orders.every((o) => o.every((arrival, i) => phaseOf(arrival) === i + 1));
  console.log('\nBarrier: 4 workers run 3 phases, waiting for each other between phases');
  console.log(`  arrival numbers per worker: ${orders.map((o) => `[${o.join(', ')}]`).join(' ')}`);
  console.log(`  phase 1 took arrivals 0–3, phase 2 4–7, phase 3 8–11 in every worker: ${inOrder ? 'yes, no worker ran ahead' : 'NO'}`);
}
