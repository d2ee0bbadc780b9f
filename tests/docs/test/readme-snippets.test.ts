import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isQuotedFrom, regionOf, snippetsOf } from '@tessera/test-support'
import { describe, expect, it } from 'vitest'
import { shellProblems } from '../src/shell-commands.js'
import { isRunByATest } from '../src/tested-files.js'
import { exampleFiles, readmes, root } from '../src/workspace.js'

// Issue 14, item 4: every TypeScript or JavaScript block of every README is a verbatim region
// of a file a test type-checks and runs, named in a `<!-- from: path#region -->` comment on
// the line before the fence. Shell blocks may only name packages, filters and scripts that
// exist. UPDATE_SNIPPETS=1 copies each marked region into its README (after changing an
// example): `pnpm --filter @tessera/docs-tests test:update-snippets`.

const CODE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'cjs', 'tsx', 'jsx'])
const SHELL = new Set(['sh', 'bash', 'shell', 'console', 'zsh'])
const update = process.env.UPDATE_SNIPPETS === '1'

const HOW_TO_MARK = (where: string) =>
  `${where}: this code block says nowhere which tested file it comes from. Put the code in an ` +
  'example file under examples/ between `// #region <name>` and `// #endregion <name>`, ' +
  'import that file from a test in tests/docs/test/ that runs it, and write ' +
  '`<!-- from: examples/<file>.ts#<name> -->` on the line above the fence ' +
  '(then `pnpm --filter @tessera/docs-tests test:update-snippets` keeps the block in sync).'

describe.each(readmes())('%s', (readme) => {
  const markdown = readFileSync(join(root, readme), 'utf8')
  const snippets = snippetsOf(markdown)

  it('every ts/js block is a region of a tested file, verbatim', () => {
    let rewritten = markdown
    for (const snippet of snippets) {
      const where = `${readme}:${snippet.line}`
      if (!CODE.has(snippet.lang) && snippet.from === undefined) continue
      expect(snippet.from, HOW_TO_MARK(where)).toBeDefined()
      const from = snippet.from as string
      const sourcePath = join(root, from)
      expect(existsSync(sourcePath), `${where}: ${from} does not exist`).toBe(true)
      const source = readFileSync(sourcePath, 'utf8')
      if (snippet.region === undefined) {
        expect(
          isQuotedFrom(snippet.code, source),
          `${where}: the block is not a verbatim part of ${from}`,
        ).toBe(true)
      } else {
        const region = regionOf(source, snippet.region)
        expect(region, `${where}: ${from} has no region "${snippet.region}"`).toBeDefined()
        if (update && region !== snippet.code) {
          rewritten = rewritten.replace(`\n${snippet.code}\n\`\`\``, `\n${region}\n\`\`\``)
        } else {
          expect(
            snippet.code,
            `${where} differs from ${from}#${snippet.region}: change the example, then run \`pnpm --filter @tessera/docs-tests test:update-snippets\``,
          ).toBe(region)
        }
      }
      expect(
        isRunByATest(from),
        `${where}: ${from} is not run by any test. Quote a file under examples/ that a test in tests/docs/test imports, or a test file (or a file a test imports) of the package`,
      ).toBe(true)
    }
    if (rewritten !== markdown) writeFileSync(join(root, readme), rewritten)
  })

  it('shell blocks name only packages, filters and scripts that exist', () => {
    const problems = snippets
      .filter((snippet) => SHELL.has(snippet.lang))
      .flatMap((snippet) => shellProblems(snippet.code, `${readme}:${snippet.line}`))
    expect(problems).toEqual([])
  })
})

describe('examples/', () => {
  it('every example file is imported by a test of tests/docs (so it runs)', () => {
    const examples = exampleFiles().filter((path) => !path.startsWith('examples/shared/'))
    expect(examples.length).toBeGreaterThan(20)
    const notRun = examples.filter((path) => !path.includes('/src/') && !isRunByATest(path))
    expect(notRun, 'import each of these from a test in tests/docs/test and use it').toEqual([])
  })
})
