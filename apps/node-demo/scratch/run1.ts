import { q1 } from '../src/q1.ts';
await q1();
