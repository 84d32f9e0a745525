import { Pool, Process } from '@mp/node';
const ctx = process.argv[2] ?? 'thread';
{
  await using pool = new Pool({ processes: 4, context: ctx });
  const m = await pool.map(function squ(n: number) { return n ** 2; }, [2, 4, 6, 8, 9]);
  console.log(`[${m.join(', ')}]`);
}
function printNumber(n: number) { console.log(n); }
const list: Process<[number]>[] = [];
for (let i = 1; i < 5; i++) { const p = new Process({ target: printNumber, args: [i], context: ctx }); list.push(p); p.start(); }
for (const p of list) await p.join();
