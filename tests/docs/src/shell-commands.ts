import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Manifest, readJson, root, workspacePackageNames } from './workspace.js'

/** What one shell line of a README names, for the checks of shell blocks. */
export interface NamedInShell {
  /** Packages an install command (`npm install`, `pnpm add`, …) adds. */
  installs: string[]
  /** `pnpm --filter <name>` package names. */
  filters: string[]
  /** Root scripts run by `npm <script>`, `npm run <script>`, `pnpm <script>`. */
  rootScripts: string[]
}

const INSTALL = /^(?:npm (?:install|i|add)|pnpm (?:add|install|i)|yarn add|bun add)\s+(.*)$/
/** pnpm and npm commands that are not package scripts. */
const BUILTINS = new Set([
  'install',
  'i',
  'add',
  'remove',
  'exec',
  'dlx',
  'update',
  'why',
  'list',
  'pack',
  'publish',
  'ci',
  'init',
  'create',
])

/** The packages, filters and scripts one line of a shell block names. */
export function namedInShellLine(raw: string): NamedInShell {
  const line = raw
    .replace(/^\$\s+/, '')
    .replace(/\s+#.*$/, '')
    .trim()
  const named: NamedInShell = { installs: [], filters: [], rootScripts: [] }
  if (line === '' || line.startsWith('#')) return named
  const install = INSTALL.exec(line)
  if (install) {
    named.installs = (install[1] as string)
      .split(/\s+/)
      .filter((token) => token !== '' && !token.startsWith('-'))
      .map((token) => token.replace(/(.)@[^/]*$/, '$1')) // drop a version: ioredis@5, @a/b@^1
    return named
  }
  const words = line.split(/\s+/)
  const tool = words[0]
  if (tool !== 'pnpm' && tool !== 'npm') return named
  const filter = words.indexOf('--filter')
  if (filter !== -1 && words[filter + 1]) {
    named.filters.push(words[filter + 1] as string)
    return named
  }
  const command = words[1] === 'run' ? words[2] : words[1]
  if (command && !command.startsWith('-') && !BUILTINS.has(command)) named.rootScripts.push(command)
  return named
}

/** Checks a README's shell block; returns one message per problem. */
export function shellProblems(code: string, where: string): string[] {
  const problems: string[] = []
  const workspace = workspacePackageNames()
  const lockfile = readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8')
  const scripts = readJson<Manifest & { scripts: Record<string, string> }>(
    join(root, 'package.json'),
  ).scripts
  for (const line of code.split('\n')) {
    const named = namedInShellLine(line)
    for (const name of named.installs) {
      const known = name.startsWith('@tessera/')
        ? workspace.has(name)
        : lockfile.includes(`\n  ${name}@`) || lockfile.includes(`\n  '${name}@`)
      if (!known) {
        problems.push(
          `${where}: \`${line.trim()}\` installs ${name}, which is neither a package of this workspace nor one it depends on`,
        )
      }
    }
    for (const name of named.filters) {
      if (!workspace.has(name)) problems.push(`${where}: no workspace package is called ${name}`)
    }
    for (const script of named.rootScripts) {
      if (!(script in scripts) && !['start', 'test'].includes(script)) {
        problems.push(`${where}: the root package.json has no script "${script}"`)
      }
    }
  }
  return problems
}
