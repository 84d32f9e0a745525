/** The cluster tests need a real nats-server: without one this fails (and so do the others), saying how to get it. */
import { expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { natsServerBinary } from './nats-server.ts';

it('a nats-server binary is available (apt-get install nats-server, or MP_NATS_SERVER)', () => {
  const bin = natsServerBinary();
  expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toMatch(/nats-server: v2\./);
});
