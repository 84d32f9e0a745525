/**
 * `@mp/demo-kit`: the demo that the Node, Deno and Bun apps run, written once.
 * An app passes its adapter's exports and a few facts about its runtime.
 */
export { runDemo } from './run-demo.ts';
export type { Demo, DemoTasks, MpApi, RuntimeFacts } from './api.ts';
