import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type DefaultTheme, defineConfig, type MarkdownRenderer } from 'vitepress'
// @ts-expect-error: a plain .mjs module shared with the build script
import { docsDir, repositoryUrl } from '../scripts/workspace.mjs'

// The API sidebar is written by TypeDoc (scripts/api-reference.mjs) before VitePress starts.
const apiSidebarFile = join(docsDir, 'api/typedoc-sidebar.json')
const apiSidebar: DefaultTheme.SidebarItem[] = existsSync(apiSidebarFile)
  ? JSON.parse(readFileSync(apiSidebarFile, 'utf8'))
  : []

const repository: string = repositoryUrl()

/**
 * `[text](repo:packages/redis/README.md)` links to that file in the repository: pages name
 * repository files by path, and the address comes from the packages' manifests.
 */
function repositoryLinks(md: MarkdownRenderer): void {
  md.core.ruler.push('tessera-repository-links', (state) => {
    for (const token of state.tokens) {
      for (const child of token.children ?? []) {
        const href = child.type === 'link_open' ? child.attrGet('href') : null
        if (href?.startsWith('repo:')) {
          const path = href.slice('repo:'.length)
          const kind = /\.\w+(#.*)?$/.test(path) ? 'blob' : 'tree'
          child.attrSet('href', `${repository}/${kind}/main/${path}`)
        }
      }
    }
  })
}

export default defineConfig({
  title: 'Tessera',
  description:
    'Server-side sessions for Express, Koa and Hono: no lost updates, hashed ids, enforced timeouts',
  // Static output that opens from any file server; nothing is fetched at build or run time.
  cleanUrls: false,
  lastUpdated: false,
  // VitePress fails the build on a link to a missing page; tests/docs also checks anchors.
  ignoreDeadLinks: false,
  srcExclude: ['README.md', 'scripts/**'],
  markdown: { lineNumbers: false, config: repositoryLinks },
  // One API page per entry point: @tessera/core's is a single chunk of about 600 kB.
  vite: { build: { chunkSizeWarningLimit: 1500 } },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/express' },
      { text: 'Stores', link: '/stores/' },
      { text: 'Concepts', link: '/concepts/security' },
      { text: 'Benchmarks', link: '/benchmarks/' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: [
      {
        text: 'Getting started',
        items: [
          { text: 'Express', link: '/guide/express' },
          { text: 'Koa', link: '/guide/koa' },
          { text: 'Hono', link: '/guide/hono' },
        ],
      },
      {
        text: 'Guides',
        items: [
          { text: 'Per-user sessions', link: '/guide/user-sessions' },
          { text: 'CookieStore and edge runtimes', link: '/guide/edge' },
          { text: 'Migrating from express-session', link: '/guide/migrating-from-express-session' },
        ],
      },
      {
        text: 'Stores',
        items: [
          { text: 'Choosing a store', link: '/stores/' },
          { text: 'Redis', link: '/stores/redis' },
          { text: 'SQL (Kysely)', link: '/stores/kysely' },
          { text: 'MongoDB', link: '/stores/mongodb' },
          { text: 'File', link: '/stores/file' },
          { text: 'Memory', link: '/stores/memory' },
          { text: 'Cookie', link: '/stores/cookie' },
          { text: 'Writing a store', link: '/stores/writing-a-store' },
        ],
      },
      {
        text: 'Concepts',
        items: [
          { text: 'Security model', link: '/concepts/security' },
          { text: 'Concurrency model', link: '/concepts/concurrency' },
        ],
      },
      { text: 'Benchmarks', items: [{ text: 'Results', link: '/benchmarks/' }] },
      {
        text: 'API reference',
        collapsed: true,
        items: [{ text: 'Overview', link: '/api/' }, ...apiSidebar],
      },
    ],
    outline: { level: [2, 3] },
    search: { provider: 'local' },
    socialLinks: [{ icon: 'github', link: repository }],
    footer: { message: 'Released under the MIT License.' },
  },
})
