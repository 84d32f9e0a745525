// Tasks for the cluster benchmark, sent by reference to hosts and to the local pool.
export function inc(x) {
  return x + 1;
}

export function wait20(x) {
  return new Promise((resolve) => setTimeout(() => resolve(x), 20));
}

/** Waits 100 ms and says which host ran it (mp-host --host-name sets MP_HOST_NAME for the code it runs). */
export async function whoRuns(i) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { i, host: globalThis.process?.env?.MP_HOST_NAME ?? globalThis.Deno?.env.get('MP_HOST_NAME') ?? '?' };
}
