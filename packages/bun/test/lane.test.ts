/**
 * Core's lane (packages/core/src/internal/lane.ts), the shared-memory fast path of Deno, Bun and browser
 * pools, between this thread and a real Bun worker: what travels on the lane, what must take the port, and
 * that the two never reorder messages or lose one.
 */
import { describe, it } from 'bun:test';
import { createLane, ParentLane, setLaneCodec } from '../../core/src/internal/lane.ts';
import { deserialize, encode } from '../../core/src/internal/serialize.ts';

// The lane's encoding, as mp's entry points give it (lane.ts, setLaneCodec).
setLaneCodec(() => ({ encode, deserialize }));
import type { WorkerHandle } from '../../core/src/runtime.ts';

function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new Error(message);
}
const same = (actual: unknown, expected: unknown): void => {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  ok(a === e, `expected ${e}, got ${a}`);
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Connected {
  handle: WorkerHandle;
  got: unknown[];
  memory: SharedArrayBuffer;
  /** Resolves once the worker waits on the lane (cell 0, the slot toward the worker, is 1: WAITING). */
  lingering(): Promise<void>;
  /** Resolves once `n` messages have arrived. */
  arrived(n: number): Promise<void>;
  end(): void;
}

/** Bun's Web Worker, typed here (the tests are checked without bun-types). */
interface BunWorker {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown, transfer?: readonly object[]): void;
  terminate(): void;
}
const { Worker } = globalThis as unknown as { Worker: new (url: string, options: { type: 'module' }) => BunWorker };

async function connect(): Promise<Connected> {
  const worker = new Worker(new URL('./fixtures/lane-worker.ts', import.meta.url).href, { type: 'module' });
  const got: unknown[] = [];
  const memory = createLane();
  const lane = new ParentLane(memory, (m) => got.push(m));
  worker.onmessage = (event) => lane.tookFromPort(event.data);
  const handle = lane.wrap({
    pid: 1,
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    terminate: () => worker.terminate(),
    setRef: () => {},
  });
  const cells = new Int32Array(memory, 0, 2);
  const until = async (done: () => boolean, what: string): Promise<void> => {
    for (const start = Date.now(); !done(); await sleep(2)) if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
  };
  const connected: Connected = {
    handle,
    got,
    memory,
    lingering: () => until(() => Atomics.load(cells, 0) === 1, 'the worker to wait on the lane'),
    arrived: (n) => until(() => got.length >= n, `${n} messages`),
    end: () => worker.terminate(),
  };
  handle.postMessage({ cmd: 'attach', memory });
  await connected.arrived(1);
  same(got.shift(), { reply: 'attached', how: 'port' });
  return connected;
}

describe('lane (core internal/lane.ts) between Bun threads', () => {
  it('carries a command to a waiting worker and its answer to a polling parent', async () => {
    const w = await connect();
    try {
      w.handle.postMessage({ cmd: 'linger' });
      await w.lingering();
      // `linger: true` marks a batch whose answer the pool awaits blocking: the parent waits on the lane at once.
      w.handle.postMessage({ cmd: 'echo', value: { n: 1, list: [1, 'two', null] }, linger: true });
      ok(w.handle.pollSync!(5_000), 'the answer came on the lane');
      same(w.got, [{ reply: { n: 1, list: [1, 'two', null] }, how: 'lane' }]);
    } finally {
      w.end();
    }
  });

  it('delivers an answer that came on the lane even when nobody polls for it', async () => {
    const w = await connect();
    try {
      w.handle.postMessage({ cmd: 'linger' });
      await w.lingering();
      w.handle.postMessage({ cmd: 'echo', value: 7, linger: true });
      await sleep(50);
      await w.arrived(1);
      await sleep(50);
      same(w.got, [{ reply: 7, how: 'lane' }]);
    } finally {
      w.end();
    }
  });

  it('never lets a lane message overtake one still on the port', async () => {
    const w = await connect();
    try {
      // 'A' is posted while the worker is busy (on the port, not taken), then the worker waits on the lane:
      // 'B' must follow 'A' on the port.
      w.handle.postMessage({ cmd: 'linger', busy: 200 });
      w.handle.postMessage({ cmd: 'echo', value: 'A' });
      await w.lingering();
      w.handle.postMessage({ cmd: 'echo', value: 'B', linger: true });
      await w.arrived(3);
      same(w.got, [
        { reply: 'nothing', how: 'port' },
        { reply: 'A', how: 'port' },
        { reply: 'B', how: 'port' },
      ]);
    } finally {
      w.end();
    }
  });

  it('sends on the port what the lane cannot carry: transfers, views of shared memory, big messages', async () => {
    const w = await connect();
    try {
      const big = 'x'.repeat(100_000);
      const buffer = new ArrayBuffer(16);
      const sent: [unknown, object[]][] = [[{ bytes: buffer }, [buffer]], [new Int32Array(new SharedArrayBuffer(8)), []], [big, []]];
      for (const [value, transfer] of sent) {
        w.handle.postMessage({ cmd: 'linger' });
        await w.lingering();
        w.handle.postMessage({ cmd: 'echo', value }, transfer);
        await w.arrived(2);
        const [nudged, answer] = w.got.splice(0) as { reply: unknown; how: string }[];
        same(nudged, { reply: 'nothing', how: 'port' });
        same(answer!.how, 'port');
      }
      ok(buffer.byteLength === 0, 'the transferred buffer moved');
    } finally {
      w.end();
    }
  });

  it('answers on the port, after its output, a command that printed', async () => {
    const w = await connect();
    try {
      w.handle.postMessage({ cmd: 'linger' });
      await w.lingering();
      w.handle.postMessage({ cmd: 'print', value: 'hello', linger: true });
      ok(!w.handle.pollSync!(5_000), 'the answer did not come on the lane');
      await w.arrived(2);
      same(w.got, [{ line: 'hello' }, { reply: 'hello', how: 'lane' }]);
    } finally {
      w.end();
    }
  });
});
