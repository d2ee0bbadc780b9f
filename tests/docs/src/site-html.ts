import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, posix, relative } from 'node:path'
import { filesUnder, root } from './workspace.js'

/** apps/docs: the documentation site's sources. */
export const docsDir = join(root, 'apps/docs')
/** Where `pnpm docs:build` writes the static site. */
export const distDir = join(docsDir, '.vitepress/dist')

/** A link or image of a built page. */
export interface PageLink {
  /** The page, relative to dist/ (`guide/express.html`). */
  page: string
  href: string
}

const decode = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")

/** Every built page, relative to dist/. */
export function builtPages(): string[] {
  return filesUnder(distDir, (name) => name.endsWith('.html')).map((path) =>
    relative(distDir, join(root, path)),
  )
}

/** The links (`<a href>`) and images (`<img src>`) of a built page. */
export function linksOf(page: string): PageLink[] {
  const html = readFileSync(join(distDir, page), 'utf8')
  return [...html.matchAll(/<(?:a\b[^>]*?\shref|img\b[^>]*?\ssrc)="([^"]*)"/g)].map((match) => ({
    page,
    href: decode(match[1] as string),
  }))
}

/** The `id` attributes of a built page: the anchors a link may point to. */
export function idsOf(page: string): Set<string> {
  const html = readFileSync(join(distDir, page), 'utf8')
  return new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((match) => decode(match[1] as string)))
}

/** The text of each `<h2>`/`<h3>` of a built page, without its header anchor. */
export function headingsOf(page: string): string[] {
  const html = readFileSync(join(distDir, page), 'utf8')
  return [...html.matchAll(/<h[23] id="[^"]*"[^>]*>([\s\S]*?)<\/h[23]>/g)].map((match) =>
    decode(
      (match[1] as string)
        .replace(/<a class="header-anchor"[\s\S]*?<\/a>/g, '')
        .replace(/<[^>]+>/g, ''),
    )
      .replace(/\u200b/g, '')
      .trim(),
  )
}

/**
 * The built file an internal link of `page` leads to, or null when there is none. Handles
 * `/guide/x`, `/guide/x.html`, `./x.html`, `../x` and directories (their index.html).
 */
export function targetOf(page: string, path: string): string | null {
  const joined = path.startsWith('/')
    ? posix.normalize(path.slice(1))
    : posix.normalize(posix.join(posix.dirname(page), path))
  const decoded = decodeURIComponent(joined).replace(/^\.\/?/, '')
  const candidates = [decoded, `${decoded}.html`, posix.join(decoded, 'index.html')]
  for (const candidate of candidates) {
    const file = join(distDir, candidate)
    if (existsSync(file) && statSync(file).isFile()) return candidate
  }
  return null
}
