import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { regionOf, snippetsOf } from '@tessera/test-support'
import { describe, expect, it } from 'vitest'
import { shellProblems } from '../src/shell-commands.js'
import { docsDir } from '../src/site-html.js'
import { isRunByATest } from '../src/tested-files.js'
import { filesUnder, root } from '../src/workspace.js'

// The documentation site's own pages (apps/docs/**.md, not the generated ones): every code
// block is a `<<< @/../../path#region` import of a file a test runs, so no page can show code
// that does not run; shell blocks name only packages and scripts that exist. The security page
// covers every requirement of ASVS 4.0.3 chapter V3 and cites only checks that exist.

const CODE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'cjs', 'tsx', 'jsx'])
const SHELL = new Set(['sh', 'bash', 'shell', 'console', 'zsh'])

/** The pages scripts/build.mjs writes (git-ignored); tested after the build, in docs-site. */
const GENERATED = [
  'apps/docs/guide/migrating-from-express-session.md',
  'apps/docs/benchmarks/index.md',
  'apps/docs/stores/writing-a-store.md',
]

const authored = filesUnder(docsDir, (name) => name.endsWith('.md')).filter(
  (path) =>
    !GENERATED.includes(path) &&
    !path.startsWith('apps/docs/api/') &&
    path !== 'apps/docs/README.md',
)

/** `<<< @/<path>#<region>` snippet imports: `@` is apps/docs. */
const IMPORT = /^<<< @\/(\S+?)(?:#([\w*-]+))?(?:\s.*)?$/

describe('apps/docs pages', () => {
  it('there are the authored pages the sidebar links to', () => {
    expect(authored.length).toBeGreaterThanOrEqual(15)
    expect(authored).toContain('apps/docs/concepts/security.md')
  })

  describe.each(authored)('%s', (page) => {
    const markdown = readFileSync(join(root, page), 'utf8')

    it('has no inline code block: code comes from tested files by <<< import', () => {
      const inline = snippetsOf(markdown).filter((snippet) => CODE.has(snippet.lang))
      expect(
        inline.map((snippet) => `${page}:${snippet.line}`),
        'move the code into a file under examples/ that a test of tests/docs runs, between `// #region name` markers, and write `<<< @/../../examples/<file>.ts#name` instead',
      ).toEqual([])
    })

    it('each <<< import names an existing region of a file a test runs', () => {
      const imports = markdown
        .split('\n')
        .map((line, index) => ({ match: IMPORT.exec(line.trim()), line: index + 1 }))
        .filter(({ match }) => match !== null)
      for (const { match, line } of imports) {
        const where = `${page}:${line}`
        const file = join(docsDir, (match as RegExpExecArray)[1] as string)
        const path = file.slice(root.length + 1)
        expect(existsSync(file), `${where}: ${path} does not exist`).toBe(true)
        const region = (match as RegExpExecArray)[2]
        if (region !== undefined) {
          // VitePress would silently show the whole file for a region it cannot find.
          expect(
            regionOf(readFileSync(file, 'utf8'), region),
            `${where}: ${path} has no region "${region}"`,
          ).toBeDefined()
        }
        expect(isRunByATest(path), `${where}: ${path} is not run by any test`).toBe(true)
      }
    })

    it('shell blocks name only packages, filters and scripts that exist', () => {
      const problems = snippetsOf(markdown)
        .filter((snippet) => SHELL.has(snippet.lang))
        .flatMap((snippet) => shellProblems(snippet.code, `${page}:${snippet.line}`))
      expect(problems).toEqual([])
    })
  })

  it('the getting-started pages quote every region of their app, in order', () => {
    for (const adapter of ['express', 'koa', 'hono']) {
      const page = readFileSync(join(docsDir, `guide/${adapter}.md`), 'utf8')
      const source = readFileSync(join(root, `examples/${adapter}/app.ts`), 'utf8')
      const regions = [...source.matchAll(/^\/\/ #region ([\w-]+)$/gm)].map((m) => m[1])
      const quoted = [
        ...page.matchAll(new RegExp(`examples/${adapter}/app\\.ts#([\\w-]+)`, 'g')),
      ].map((m) => m[1])
      expect(quoted, `guide/${adapter}.md`).toEqual(regions)
      expect(page).toContain(`examples/${adapter}/server.ts#server`)
      expect(page).toContain(`examples/${adapter}/quick-start.ts#quick-start`)
    }
  })
})

describe('concepts/security.md', () => {
  const page = readFileSync(join(docsDir, 'concepts/security.md'), 'utf8')
  const checks = readFileSync(join(root, 'tests/security/src/checks.ts'), 'utf8')
  const checkIds = new Set([...checks.matchAll(/\bid: '(\d\d[a-z]?)'/g)].map((m) => m[1]))

  it('names every requirement of ASVS 4.0.3 chapter V3', () => {
    const v3 = [
      '3.1.1',
      '3.2.1',
      '3.2.2',
      '3.2.3',
      '3.2.4',
      '3.3.1',
      '3.3.2',
      '3.3.3',
      '3.3.4',
      '3.4.1',
      '3.4.2',
      '3.4.3',
      '3.4.4',
      '3.4.5',
      '3.5.1',
      '3.5.2',
      '3.5.3',
      '3.6.1',
      '3.6.2',
      '3.7.1',
    ]
    expect(v3.filter((item) => !page.includes(`V${item}`))).toEqual([])
  })

  it('cites only checks of the security suite that exist, and each cites ASVS', () => {
    expect(checkIds.size).toBeGreaterThan(25)
    const rows = page.split('\n').filter((line) => /^\| .* \| [\d, a-z]+ \|$/.test(line))
    expect(rows.length).toBeGreaterThan(10)
    const cited = rows.flatMap((row) => (row.split('|').at(-2) as string).trim().split(/,\s*/))
    expect(cited.filter((id) => !checkIds.has(id))).toEqual([])
    // At least one of each row's V3 items is among the sources its checks name.
    for (const row of rows) {
      const items = [...row.matchAll(/V(3\.\d\.\d)/g)].map((m) => m[1] as string)
      const ids = (row.split('|').at(-2) as string).trim().split(/,\s*/)
      const sources = ids
        .map((id) => new RegExp(`id: '${id}',[\\s\\S]*?sources:\\s*'([^']*)'`).exec(checks)?.[1])
        .join(' ')
      expect(sources, `checks ${ids.join(', ')} name their sources`).toMatch(/ASVS/)
      const named = items.filter((item) => sources.includes(`V${item}`) || inRange(sources, item))
      if (items.length > 0) {
        expect(named, `${row.slice(0, 60)}…: no cited check names ${items.join(', ')}`).not.toEqual(
          [],
        )
      }
    }
  })
})

/** True when `sources` names a range such as `V3.4.1-V3.4.5` that holds `item`. */
function inRange(sources: string, item: string): boolean {
  return [...sources.matchAll(/V(3\.\d)\.(\d)-V3\.\d\.(\d)/g)].some(
    ([, section, from, to]) =>
      item.startsWith(`${section}.`) &&
      Number(item.split('.')[2]) >= Number(from) &&
      Number(item.split('.')[2]) <= Number(to),
  )
}
