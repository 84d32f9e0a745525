/** What the report says about where it ran: CPU, memory, OS, Node, package versions, mp's git revision. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const benchRoot = new URL('../../', import.meta.url);

function version(name) {
  try {
    return JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, benchRoot), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: benchRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** @returns {import('../core/report.mjs').Machine} */
export function machineInfo() {
  const commit = git(['rev-parse', '--short', 'HEAD']) || 'unknown';
  const dirty = git(['status', '--porcelain', '--', '../packages/core', '../packages/node']) !== '';
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    runtime: `Node ${process.version}`,
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    mpRevision: `${commit}${dirty ? ' + uncommitted changes in packages/core or packages/node' : ''}`,
    packages: ['@mp/node', '@mp/core', 'piscina', 'tinypool', 'workerpool', 'poolifier'].map((name) => ({ name, version: version(name) })),
  };
}

