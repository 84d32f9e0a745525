import { Pool } from '@mp/node';
const pool = new Pool({ processes: 1, context: process.argv[2] ?? 'thread' });
await pool.apply(() => 0, []); // the worker is up
const pending = pool.apply(() => 1, []).catch(() => 'rejected');
await new Promise<void>((r) => queueMicrotask(r)); // let the pool hand the task out
const t = Date.now();
while (Date.now() - t < 200); // meanwhile the worker answers; the answer waits in the channel
await pool.terminate();
console.log('terminated', await pending);
