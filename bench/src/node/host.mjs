/** The Node host the measuring core asks for memory figures. `gc` needs `--expose-gc` (the runner passes it to scenarios marked `gc`). */
import { execFile } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const probe = fileURLToPath(new URL('./import-probe.mjs', import.meta.url));

/** The probe, copied into `from` when given, so that a bare specifier resolves from there (mp's snapshot). */
function probeIn(from) {
  if (!from) return probe;
  const copy = join(from, 'import-probe.mjs');
  copyFileSync(probe, copy);
  return copy;
}

/** @type {import('../core/adapter.mjs').Host} */
export const host = {
  runtime: 'node',
  rss: () => process.memoryUsage.rss(),
  gc: () => {
    const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
    if (gc) {
      gc();
      gc();
    }
  },
  importTime: ({ specifier, from }) =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, [probeIn(from), specifier], { env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 }, (error, stdout, stderr) => {
        const ms = Number(stdout.trim());
        if (error || !Number.isFinite(ms)) reject(new Error(`importing ${specifier} failed: ${error?.message ?? ''} ${stderr.trim()}`));
        else resolve(ms);
      });
    }),
};
