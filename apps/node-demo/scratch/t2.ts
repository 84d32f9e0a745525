import { Process } from '@mp/node';
const p = new Process({ target: () => console.log('Hello from a child process') });
p.start(); await p.join(); console.log('Child process has terminated', p.exitCode);
