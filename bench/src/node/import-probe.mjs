/** `node import-probe.mjs <specifier>`: prints how many ms `await import(specifier)` took, resolved from here. */
const specifier = process.argv[2] ?? '';
const start = performance.now();
await import(specifier);
console.log(String(performance.now() - start));
