import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative, sep } from 'node:path'

/**
 * What a published tarball may hold: its manifest, README, LICENSE and CHANGELOG, the build
 * (`dist/`) and the sources the source maps point into (`src/`). Nothing else: no tests, no
 * configs, no reports, no installed modules.
 */
const ALLOWED = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/.+|src\/.+)$/
const FORBIDDEN = [
  /(^|\/)(test|tests|__tests__|test-types|test-results|node_modules|\.turbo)\//,
  /\.(test|spec)\.[cm]?[jt]sx?$/,
  /(^|\/)(vitest|tsup)\.config\.[cm]?[jt]s$/,
  /(^|\/)tsconfig(\.[\w-]+)?\.json$/,
  /\.tsbuildinfo$/,
  /(^|\/)\.env/,
]

/** Every file under `dir`, relative to it, with `/` separators. */
export function filesIn(dir: string): string[] {
  const found: string[] = []
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry)
      if (statSync(path).isDirectory()) walk(path)
      else found.push(relative(dir, path).split(sep).join('/'))
    }
  }
  walk(dir)
  return found.sort()
}

/** Every file a manifest's `exports`, `main`, `module` and `types` fields point to. */
function entryFiles(manifest: Record<string, unknown>): string[] {
  const files = new Set<string>()
  const visit = (value: unknown) => {
    if (typeof value === 'string') files.add(normalize(value).split(sep).join('/'))
    else if (value && typeof value === 'object')
      for (const inner of Object.values(value)) visit(inner)
  }
  visit(manifest.exports)
  for (const field of ['main', 'module', 'types']) visit(manifest[field])
  files.delete('package.json')
  return [...files]
}

/** Every `types` condition of the manifest's `exports` (the declarations TypeScript loads). */
function typeFiles(manifest: Record<string, unknown>): string[] {
  const files: string[] = []
  const visit = (value: unknown) => {
    if (!value || typeof value !== 'object') return
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'types' && typeof inner === 'string')
        files.push(normalize(inner).split(sep).join('/'))
      else visit(inner)
    }
  }
  visit(manifest.exports)
  return files
}

/**
 * What is wrong with an unpacked tarball (`dir` is its `package/` folder): one message per
 * problem, none when it holds what it should and nothing else.
 */
export function tarballProblems(dir: string, rootLicense: string): string[] {
  const problems: string[] = []
  const files = filesIn(dir)
  const has = new Set(files)
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >
  for (const file of files) {
    if (!ALLOWED.test(file)) problems.push(`${file} should not be published`)
    if (FORBIDDEN.some((pattern) => pattern.test(file)))
      problems.push(`${file} is a test or config file`)
  }
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!has.has(required)) problems.push(`no ${required}`)
  }
  if (has.has('LICENSE') && readFileSync(join(dir, 'LICENSE'), 'utf8') !== rootLicense) {
    problems.push('LICENSE differs from the repository root LICENSE')
  }
  for (const file of entryFiles(manifest)) {
    if (!has.has(file)) problems.push(`the manifest points to ${file}, which is not in the tarball`)
  }
  const types = typeFiles(manifest)
  if (types.length === 0) problems.push('no `types` condition in `exports`')
  for (const file of files.filter((name) => name.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      sources?: string[]
      sourceRoot?: string
    }
    for (const source of map.sources ?? []) {
      const resolved = normalize(join(dirname(file), map.sourceRoot ?? '', source))
        .split(sep)
        .join('/')
      if (resolved.startsWith('..') || /^[a-z]+:|^\//i.test(source)) {
        problems.push(`${file} points outside the package: ${source}`)
      } else if (!has.has(resolved)) {
        problems.push(`${file} points to ${resolved}, which is not in the tarball`)
      }
    }
  }
  if (!existsSync(join(dir, 'dist'))) problems.push('no dist/')
  return problems
}
