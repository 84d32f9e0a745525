import { Pool, Process } from '@mp/node';
const ctx = process.argv[2] ?? 'process';
const pp = new Pool({ processes: 2, context: ctx });
console.log(await pp.apply(() => 1, []));
await pp.terminate();
console.log('terminated');
const p = new Process({ target: () => console.log('Hello from a child process') });
p.start(); await p.join(); console.log('Child process has terminated', p.exitCode);
