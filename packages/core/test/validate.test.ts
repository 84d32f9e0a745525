import { describe, expect, it } from 'vitest';
import { checkInteger, findUncloneable, show } from '../src/internal/validate.ts';
import { isTaskHandle, task, tasks, toFnSpec } from '../src/task.ts';

describe('call-site validation', () => {
  it('shows received values readably', () => {
    expect(show(0)).toBe('0');
    expect(show('4')).toBe('"4" (string)');
    expect(show(NaN)).toBe('NaN');
    expect(show(null)).toBe('null');
    expect(show([1, 2])).toBe('an array of length 2');
    expect(show(function squ() {})).toBe('function squ');
    expect(show(new Map())).toBe('a Map');
  });

  it('checks integers with the p-queue style message', () => {
    expect(() => checkInteger('processes', 0, 1)).toThrow(new RangeError('processes must be an integer >= 1, got 0'));
    expect(() => checkInteger('processes', '4', 1)).toThrow(TypeError);
    expect(checkInteger('processes', 3, 1)).toBe(3);
  });

  it('finds the path of an uncloneable value', () => {
    expect(findUncloneable({ a: [1, { b: () => 1 }] }, 'args[0]')).toBe('args[0].a[1].b could not be cloned (function)');
    expect(findUncloneable(new Map([[1, Symbol('x')]]), 'x')).toBe('x.get(1) could not be cloned (symbol)');
    expect(findUncloneable({ a: new Date(), b: new Uint8Array(2) }, 'x')).toBeUndefined();
  });

  it('makes task handles and refuses what cannot travel', () => {
    const h = task(new URL('file:///t.js'), 'squ');
    expect(isTaskHandle(h)).toBe(true);
    expect(toFnSpec(h, 'fn')).toEqual({ kind: 'module', url: 'file:///t.js', name: 'squ' });
    const t = tasks<{ a(): number; b: string }>('file:///m.js');
    expect((t as unknown as Record<string, { exportName: string }>).a?.exportName).toBe('a');
    expect(() => toFnSpec(Math.max, 'fn')).toThrow(/bound or native/);
    expect(() => toFnSpec((() => 1).bind(null), 'fn')).toThrow(/bound or native/);
    expect(toFnSpec((x: number) => x, 'fn')).toMatchObject({ kind: 'source' });
  });
});
