/**
 * Chunking, for the libraries that have no `map`: the caller splits the input
 * itself, with the same default size Python's `Pool.map` (and mp) uses, so the
 * number of messages matches and only the library's overhead differs.
 */

/** Python's default: `ceil(len / (4 × workers))`. */
export function defaultChunksize(length, workers) {
  return Math.max(1, Math.ceil(length / (workers * 4)));
}

/** Splits `items` into consecutive slices of `size` (the last one shorter). */
export function chunked(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Concatenates per-chunk results back into one list. */
export function flatten(lists) {
  let n = 0;
  for (const l of lists) n += l.length;
  const out = new Array(n);
  let k = 0;
  for (const l of lists) for (let i = 0; i < l.length; i++) out[k++] = l[i];
  return out;
}

/** `inc` over `items` through `runChunk(chunk) → results`, all chunks submitted at once. */
export async function mapByChunks(items, size, runChunk) {
  return flatten(await Promise.all(chunked(items, size).map(runChunk)));
}
