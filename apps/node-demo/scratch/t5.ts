import { Pool, task } from '@mp/node';
const log = (s: string) => process.stderr.write(s + '\n');
const ctx = process.argv[2] ?? 'thread';
const variant = process.argv[3] ?? 'a';
const pool = new Pool({ processes: 2, context: ctx });
log('map ' + JSON.stringify(await pool.map((n: number) => n * 2, [20, 21])));
if (variant.includes('b')) {
  const t = task(new URL('./tasks.ts', import.meta.url), 'squ');
  try { log(JSON.stringify(await pool.map(t, [1, 2]))); } catch (e) { log('ts task: ' + String(e).slice(0, 80)); }
}
if (variant.includes('c')) {
  const tj = task(new URL('./tasks.js', import.meta.url), 'squ');
  log('js ' + JSON.stringify(await pool.map(tj, [1, 2])));
}
log('terminating');
await pool.terminate();
log('terminated');
