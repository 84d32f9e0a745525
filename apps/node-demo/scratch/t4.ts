import { Pool } from '@mp/node';
const log = (s: string) => process.stderr.write(s + '\n');
const ctx = process.argv[2] ?? 'thread';
for (let round = 0; round < 5; round++) {
  const pool = new Pool({ processes: 2, context: ctx });
  log(`r${round} created`);
  log('map ' + JSON.stringify(await pool.map((n: number) => n * 2, [1, 2, 3])));
  try { await pool.apply(() => { throw new Error('x'); }, []); } catch (e) { log('err ok'); }
  log('map2 ' + JSON.stringify(await pool.map((n: number) => n * 3, [1, 2, 3])));
  await pool.terminate();
  log('terminated');
}
