/** Every scenario, in report order. A scenario is data plus one `measure(ctx)`; see `../adapter.mjs`. */
import apply from './apply-throughput.mjs';
import map from './map-throughput.mjs';
import latency from './latency.mjs';
import cpu from './cpu-speedup.mjs';
import { clonePayload, transferPayload } from './payload.mjs';
import startup from './startup.mjs';
import memory from './memory.mjs';
import cold from './cold-latency.mjs';
import importTime from './import-time.mjs';

export const scenarios = [apply, map, latency, cpu, clonePayload, transferPayload, startup, memory, cold, importTime];

export function scenarioById(id) {
  const s = scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`unknown scenario ${JSON.stringify(id)}; expected one of ${scenarios.map((x) => x.id).join(', ')}`);
  return s;
}
