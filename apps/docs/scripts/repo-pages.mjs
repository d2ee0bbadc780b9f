// Pages the site copies from the repository at build time, so there is one source of each:
// the migration guide (docs/), the benchmark results (bench/), "Write a store"
// (CONTRIBUTING.md), and the demo screenshots. Links are rewritten on the way: to the site's
// page where one covers the target, else to the file in the repository.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { docsDir, repositoryUrl, root } from './workspace.mjs'

/** Repository paths a page of the site covers, and that page. */
const SITE_PAGES = {
  'README.md': '/',
  'CONTRIBUTING.md#write-a-store': '/stores/writing-a-store',
  'docs/migrating-from-express-session.md': '/guide/migrating-from-express-session',
  'bench/RESULTS.md': '/benchmarks/',
  'packages/core/README.md': '/api/core',
  'packages/testkit/README.md': '/api/testkit',
  'packages/redis/README.md': '/stores/redis',
  'packages/kysely/README.md': '/stores/kysely',
  'packages/mongodb/README.md': '/stores/mongodb',
  'packages/file/README.md': '/stores/file',
  'packages/express/README.md': '/guide/express',
  'packages/koa/README.md': '/guide/koa',
  'packages/hono/README.md': '/guide/hono',
}

/**
 * The pages generated into the site (each git-ignored in apps/docs/.gitignore): where each
 * comes from, and what the page holds when that source does not exist (yet).
 */
export const GENERATED_PAGES = [
  {
    page: 'guide/migrating-from-express-session.md',
    sources: ['docs/migrating-from-express-session.md'],
    build: () =>
      fromFile('docs/migrating-from-express-session.md') ??
      withTitle(
        'Migrating from express-session',
        fromSection('packages/express/README.md', 'Migrating from express-session'),
      ),
  },
  {
    page: 'benchmarks/index.md',
    sources: ['bench/RESULTS.md', 'bench/results.svg', 'bench/README.md'],
    build: benchmarksPage,
  },
  {
    page: 'stores/writing-a-store.md',
    sources: ['CONTRIBUTING.md'],
    build: () => withTitle('Writing a store', fromSection('CONTRIBUTING.md', 'Write a store')),
  },
]

/** The markdown of a repository file, its links rewritten; `null` when it does not exist. */
function fromFile(path) {
  const file = join(root, path)
  if (!existsSync(file)) return null
  return { path, markdown: readFileSync(file, 'utf8'), images: [] }
}

/** One `## heading` section of a file, headings raised one level (its `###` become `##`). */
function fromSection(path, heading) {
  const markdown = readFileSync(join(root, path), 'utf8')
  const lines = markdown.split('\n')
  const start = lines.indexOf(`## ${heading}`)
  if (start === -1) throw new Error(`${path} has no "## ${heading}" section any more`)
  let end = lines.findIndex((line, index) => index > start && /^## /.test(line))
  if (end === -1) end = lines.length
  let fenced = false
  const body = lines.slice(start + 1, end).map((line) => {
    if (line.startsWith('```')) fenced = !fenced
    return !fenced && /^#{3,6} /.test(line) ? line.slice(1) : line
  })
  return { path, markdown: body.join('\n'), images: [] }
}

function withTitle(title, content) {
  return { ...content, markdown: `# ${title}\n${content.markdown}` }
}

function benchmarksPage() {
  const results = fromFile('bench/RESULTS.md')
  if (results) {
    const chart = existsSync(join(root, 'bench/results.svg'))
    const shown = /\(\.?\/?results\.svg\)/.test(results.markdown)
    if (chart && !shown) {
      // The chart first, under the page's title.
      results.markdown = results.markdown.replace(
        /^(# .*\n)/,
        '$1\n![Requests per second and cost per request, Tessera against the incumbents](results.svg)\n',
      )
    }
    return results
  }
  const method = fromSection('bench/README.md', 'What `pnpm bench` measures')
  return {
    ...method,
    markdown: [
      '# Benchmarks',
      '',
      '::: warning No results yet',
      'The end-to-end benchmark has not been run in this checkout, so there are no figures to',
      'show. `pnpm bench` runs it (about 10 minutes) and writes `bench/RESULTS.md` and',
      '`bench/results.svg`, which this page shows from the next build on. The engine alone costs',
      'a few microseconds per request: `pnpm bench:core` (figures in the',
      '[core README](repo:packages/core/README.md)).',
      ':::',
      '',
      '## What the benchmark measures',
      method.markdown.replace(/^## /gm, '### '),
    ].join('\n'),
  }
}

/** Where a repository path (with an optional #anchor) points to from a site page. */
function linkTarget(repoPath, anchor, headingsHere, repository) {
  const withAnchor = anchor ? `${repoPath}#${anchor}` : repoPath
  if (SITE_PAGES[withAnchor]) return SITE_PAGES[withAnchor]
  const readme = existsSync(join(root, repoPath, 'README.md')) ? `${repoPath}/README.md` : null
  const page = SITE_PAGES[repoPath] ?? (readme && SITE_PAGES[readme])
  if (page && (!anchor || headingsHere === null)) return anchor ? `${page}#${anchor}` : page
  const isDir = existsSync(join(root, repoPath)) && !/\.\w+$/.test(repoPath)
  return `${repository}/${isDir ? 'tree' : 'blob'}/main/${repoPath}${anchor ? `#${anchor}` : ''}`
}

/** GitHub-style slugs of the headings of `markdown`, to tell which #anchors stay on the page. */
function headingSlugs(markdown) {
  const slugs = new Set()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line)
    if (heading) {
      slugs.add(
        heading[1]
          .toLowerCase()
          .replace(/[`*_]/g, '')
          .replace(/[^\p{L}\p{N} -]/gu, '')
          .replace(/ /g, '-'),
      )
    }
  }
  return slugs
}

/**
 * Rewrites the links of `content.markdown` (quoted from `content.path`) for a page at `page`:
 * same-page anchors stay when the heading came along, images are copied beside the page,
 * everything else goes to the site page or the repository file.
 */
function rewriteLinks(content, page) {
  const repository = repositoryUrl()
  const slugs = headingSlugs(content.markdown)
  const sourceDir = posix.dirname(content.path)
  const images = []
  let fenced = false
  const markdown = content.markdown
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) fenced = !fenced
      if (fenced) return line
      return line.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, bang, text, href) => {
        if (/^[a-z]+:/i.test(href) || href.startsWith('/')) return whole
        const [path, anchor] = href.split('#')
        if (path === '') {
          if (slugs.has(anchor)) return whole
          return `${bang}[${text}](${linkTarget(content.path, anchor, null, repository)})`
        }
        const repoPath = posix.normalize(posix.join(sourceDir, path)).replace(/\/$/, '')
        if (bang) {
          images.push(repoPath)
          return `![${text}](./${posix.basename(repoPath)})`
        }
        return `[${text}](${linkTarget(repoPath, anchor, slugs, repository)})`
      })
    })
    .join('\n')
  const origin = `<!-- Generated by apps/docs/scripts/build.mjs from ${content.path}: edit that file, not this one. -->`
  return { markdown: `${origin}\n\n${markdown.trimEnd()}\n`, images, page }
}

/** Writes every generated page (and the images it shows) into the site. */
export function generateRepoPages() {
  const written = []
  for (const spec of GENERATED_PAGES) {
    const { markdown, images } = rewriteLinks(spec.build(), spec.page)
    const target = join(docsDir, spec.page)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, markdown)
    for (const image of images) {
      const from = join(root, image)
      if (!existsSync(from)) throw new Error(`${spec.page}: the image ${image} does not exist`)
      copyFileSync(from, join(dirname(target), posix.basename(image)))
    }
    written.push(spec.page)
  }
  copyScreenshots()
  return written
}

/** The demo screenshots (docs/screenshots/*.png), served at /screenshots/. */
function copyScreenshots() {
  const from = join(root, 'docs/screenshots')
  const to = join(docsDir, 'public/screenshots')
  mkdirSync(to, { recursive: true })
  for (const file of readdirSync(from).filter((name) => name.endsWith('.png'))) {
    copyFileSync(join(from, file), join(to, file))
  }
}

/** Repository files the generated pages come from, for `docs:dev` to watch. */
export function watchedSources() {
  return [
    ...new Set([
      ...GENERATED_PAGES.flatMap((spec) => spec.sources),
      'packages/express/README.md',
      'docs/screenshots',
    ]),
  ].map((path) => join(root, path))
}
