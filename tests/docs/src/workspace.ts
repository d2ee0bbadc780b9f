import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The root of the workspace these tests belong to. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** `package.json` fields these tests read. */
export interface Manifest {
  name: string
  version: string
  private?: boolean
  description?: string
  keywords?: string[]
  license?: string
  author?: string
  homepage?: string
  bugs?: { url?: string } | string
  repository?: { type?: string; url?: string; directory?: string }
  engines?: Record<string, string>
  sideEffects?: boolean
  files?: string[]
  publishConfig?: { access?: string }
  exports?: Record<string, unknown>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

/** One published package of `packages/`. */
export interface PublicPackage {
  /** Folder name under `packages/`: `core`, `redis`, … */
  dir: string
  /** Absolute path of the package folder. */
  path: string
  manifest: Manifest
  /** Its entry points: `.` and every subpath export (`./adapter`), without `./package.json`. */
  entries: string[]
}

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T

/** Every package under `packages/` that is not private: what `changeset publish` publishes. */
export function publicPackages(): PublicPackage[] {
  return readdirSync(join(root, 'packages'))
    .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
    .map((dir) => {
      const path = join(root, 'packages', dir)
      const manifest = readJson<Manifest>(join(path, 'package.json'))
      const entries = Object.keys(manifest.exports ?? { '.': null }).filter(
        (entry) => entry !== './package.json',
      )
      return { dir, path, manifest, entries }
    })
    .filter((pkg) => pkg.manifest.private !== true)
}

/** Every workspace package's name, public or private. */
export function workspacePackageNames(): Set<string> {
  const names = new Set<string>()
  for (const group of ['packages', 'apps', 'tests']) {
    for (const dir of readdirSync(join(root, group))) {
      const manifest = join(root, group, dir, 'package.json')
      if (existsSync(manifest)) names.add(readJson<Manifest>(manifest).name)
    }
  }
  for (const dir of ['bench', 'examples']) {
    const manifest = join(root, dir, 'package.json')
    if (existsSync(manifest)) names.add(readJson<Manifest>(manifest).name)
  }
  return names
}

/** Never searched for READMEs or examples: installed, built or generated. */
const SKIPPED = new Set(['node_modules', 'dist', '.git', '.turbo', 'test-results', '.vitepress'])

/** Files under `dir` (absolute) whose name satisfies `keep`, as paths relative to the root. */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const found: string[] = []
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue
      const path = join(current, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (keep(entry.name)) found.push(relative(root, path))
    }
  }
  if (existsSync(dir)) walk(dir)
  return found.sort()
}

/**
 * Every README of the repository: the root's, each package's, app's and test package's, the
 * bench's and the examples'. Generated copies in the docs site are not READMEs.
 */
export function readmes(): string[] {
  const nested = ['packages', 'apps', 'tests'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((dir) => join(group, dir, 'README.md'))
      .filter((path) => existsSync(join(root, path))),
  )
  const others = ['README.md', 'bench/README.md', 'examples/README.md', '.changeset/README.md']
  return [...others.filter((path) => existsSync(join(root, path))), ...nested].sort()
}

/** Every example file (`examples/**.ts`), relative to the root. */
export function exampleFiles(): string[] {
  return filesUnder(join(root, 'examples'), (name) => name.endsWith('.ts'))
}
