export function squ(n: number): number { return n ** 2; }
