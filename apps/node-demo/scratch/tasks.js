export function squ(n) { return n ** 2; }
