import wt from 'node:worker_threads';
import { syncBuiltinESMExports } from 'node:module';
const Orig = wt.Worker;
const t0 = performance.now();
const log = (s) => process.stderr.write(`[${(performance.now() - t0).toFixed(1)}] ${s}\n`);
wt.Worker = class extends Orig {
  constructor(...a) {
    super(...a);
    const id = this.threadId;
    log(`spawn ${id}`);
    this.on('exit', (c) => log(`exit ${id} ${c}`));
    this.on('error', (e) => log(`error ${id} ${e}`));
    queueMicrotask(() => {
      this.stdout.on('end', () => log(`stdout end ${id}`));
      this.stderr.on('end', () => log(`stderr end ${id}`));
    });
  }
  ref() { log(`ref ${this.threadId}`); return super.ref(); }
  unref() { log(`unref ${this.threadId}`); return super.unref(); }
  terminate() { log(`terminate ${this.threadId}`); return super.terminate(); }
};
syncBuiltinESMExports();
process.on('beforeExit', () => log('beforeExit'));
process.on('exit', (c) => log('exit main ' + c));
