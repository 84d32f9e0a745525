/// <reference types="vite/client" />

/** `import url from './tasks.ts?task'`: see `taskModules()` in vite.config.ts. */
declare module '*?task' {
  const url: string;
  export default url;
}
