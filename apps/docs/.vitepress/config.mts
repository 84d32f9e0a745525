/**
 * The mp documentation site: guides and the contract written by hand (src/guide, src/reference), the API
 * reference generated from the packages' TSDoc (src/api, made by scripts/api.mjs before every dev and build).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

const apiSidebarFile = fileURLToPath(new URL('../src/api/typedoc-sidebar.json', import.meta.url));

/** The generated API sidebar, `@mp/core` first (it defines what the adapters re-export). */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  if (!existsSync(apiSidebarFile)) return [];
  const items = JSON.parse(readFileSync(apiSidebarFile, 'utf8')) as DefaultTheme.SidebarItem[];
  const rank = (item: DefaultTheme.SidebarItem): number => (item.text?.startsWith('@mp/core') ? 0 : 1);
  return items.sort((a, b) => rank(a) - rank(b) || (a.text ?? '').localeCompare(b.text ?? ''));
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Introduction',
    items: [
      { text: 'What is mp?', link: '/guide/' },
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'From Python to mp', link: '/guide/python' },
    ],
  },
  {
    text: 'Guides',
    items: [
      { text: 'Getting code into workers', link: '/guide/tasks' },
      { text: 'Pool', link: '/guide/pool' },
      { text: 'Process', link: '/guide/process' },
      { text: 'Queues, pipes and locks', link: '/guide/queues-and-locks' },
      { text: 'Shared memory', link: '/guide/shared-memory' },
      { text: 'Manager', link: '/guide/manager' },
      { text: 'Errors and faults', link: '/guide/errors' },
      { text: 'Performance', link: '/guide/performance' },
      { text: 'The browser demo', link: '/guide/browser-demo' },
      { text: 'Cluster (@mp/nats)', link: '/guide/cluster' },
      { text: 'FAQ', link: '/guide/faq' },
    ],
  },
];

const reference: DefaultTheme.SidebarItem[] = [
  {
    text: 'The contract',
    items: [
      { text: 'Overview', link: '/reference/' },
      { text: '1. Getting code into a worker', link: '/reference/tasks' },
      { text: '2. Process', link: '/reference/process' },
      { text: '3. Pool', link: '/reference/pool' },
      { text: '4. Queues and pipes', link: '/reference/queues' },
      { text: '5. Synchronization and shared memory', link: '/reference/sync' },
      { text: '5b, 5c. Manager and Python parity', link: '/reference/manager' },
      { text: '6, 7. Helpers and errors', link: '/reference/errors' },
      { text: '8. Runtimes', link: '/reference/runtimes' },
      { text: '9. Beyond one machine', link: '/reference/cluster' },
      { text: 'Design decisions', link: '/reference/decisions' },
    ],
  },
];

export default defineConfig({
  title: 'mp',
  description: "Python's multiprocessing for every JavaScript runtime: Node, Deno, Bun and the browser.",
  srcDir: 'src',
  outDir: 'dist',
  cleanUrls: false,
  lastUpdated: false,
  // Every internal link must resolve: a dead one fails the build.
  ignoreDeadLinks: false,
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/', activeMatch: '^/guide/' },
      { text: 'Contract', link: '/reference/', activeMatch: '^/reference/' },
      { text: 'API', link: '/api/', activeMatch: '^/api/' },
    ],
    sidebar: {
      '/guide/': guide,
      '/reference/': reference,
      '/api/': [{ text: 'API reference', link: '/api/', items: apiSidebar() }],
    },
    search: { provider: 'local' },
    outline: [2, 3],
  },
  vite: {
    // The pages show pictures kept elsewhere in the repository (BENCHMARKS.svg, the demo's screenshot).
    server: { fs: { allow: [fileURLToPath(new URL('../../..', import.meta.url))] } },
  },
});
