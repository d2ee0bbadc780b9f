import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { exampleFiles, filesUnder, root } from './workspace.js'

/** Test files of tests/docs, whose imports say which example files run. */
function docsTestSources(): string[] {
  return filesUnder(join(root, 'tests/docs/test'), (name) => name.endsWith('.ts')).map((path) =>
    readFileSync(join(root, path), 'utf8'),
  )
}

let runExamples: Set<string> | undefined

/** Example files (relative to the root) the tests of tests/docs import, and what those import. */
function examplesRun(): Set<string> {
  if (runExamples) return runExamples
  const sources = docsTestSources()
  const run = new Set<string>()
  const pending = exampleFiles().filter((path) =>
    sources.some((source) => source.includes(`../../../${path.replace(/\.ts$/, '.js')}'`)),
  )
  while (pending.length > 0) {
    const path = pending.pop() as string
    if (run.has(path)) continue
    run.add(path)
    const source = readFileSync(join(root, path), 'utf8')
    for (const [, specifier] of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(join(dirname(path), `${specifier}.ts`))
    }
  }
  runExamples = run
  return run
}

/**
 * True when `path` (relative to the root) is a file some test runs: an example a test of
 * tests/docs imports (or one such an example imports), or a package's test file, or a file
 * beside it that one of its test files imports.
 */
export function isRunByATest(path: string): boolean {
  if (path.startsWith('examples/')) return examplesRun().has(path)
  const inPackageTests = /^packages\/[^/]+\/test\//.test(path)
  if (!inPackageTests) return false
  if (path.endsWith('.test.ts')) return true
  const dir = join(root, dirname(path))
  const name = `./${basename(path).replace(/\.ts$/, '.js')}`
  return readdirSync(dir)
    .filter((file) => file.endsWith('.test.ts'))
    .some((file) => readFileSync(join(dir, file), 'utf8').includes(`'${name}'`))
}
