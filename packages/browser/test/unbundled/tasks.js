// A task module as a page would serve it unbundled: plain JavaScript, no bare imports.
export function cube(n) {
  return n ** 3;
}
