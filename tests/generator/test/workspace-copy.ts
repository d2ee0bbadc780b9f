import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The real workspace this test belongs to. */
export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Root files a store package needs around it: the workspace, lockfile and shared configs. */
const ROOT_FILES = [
  'package.json',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'tsconfig.base.json',
  'biome.json',
  '.gitignore',
]
/**
 * Only what a new store depends on, not every package: a half-finished sibling package
 * (another contributor's work in progress) must not break this test, and fewer packages
 * install faster.
 */
const DIRECTORIES = [
  'config',
  'scripts',
  '.changeset',
  'packages/core',
  'packages/testkit',
  'tests/support',
]
/** Built packages the new store's build and type-check read (`types` in their exports). */
const BUILT_PACKAGES = ['packages/core', 'packages/testkit']
/** Never copied: installed, built or generated per checkout. */
const LOCAL_STATE = new Set(['node_modules', 'dist', 'test-results', '.turbo', '.git'])

export interface WorkspaceCopy {
  root: string
  /**
   * Packages whose `dist` was missing or older than their sources, so it was not copied:
   * build them in the copy after installing. Under turbo (`^build`) this is empty.
   */
  needBuild: string[]
  remove(): void
}

/** A copy of the workspace's essentials in a fresh temporary directory, without local state. */
export function copyWorkspace(): WorkspaceCopy {
  const root = mkdtempSync(join(tmpdir(), 'tessera-gen-'))
  const keep = (source: string) => !LOCAL_STATE.has(basename(source))
  for (const file of ROOT_FILES) cpSync(join(workspaceRoot, file), join(root, file))
  // pnpm settings of the workspace (a store-dir, say), when it has any.
  if (existsSync(join(workspaceRoot, '.npmrc'))) {
    cpSync(join(workspaceRoot, '.npmrc'), join(root, '.npmrc'))
  }
  for (const dir of DIRECTORIES) {
    cpSync(join(workspaceRoot, dir), join(root, dir), { recursive: true, filter: keep })
  }
  const needBuild: string[] = []
  for (const dir of BUILT_PACKAGES) {
    const dist = join(workspaceRoot, dir, 'dist')
    if (isFresh(dist, join(workspaceRoot, dir, 'src'))) {
      cpSync(dist, join(root, dir, 'dist'), { recursive: true })
    } else {
      needBuild.push(dir)
    }
  }
  return {
    root,
    needBuild,
    remove: () => rmSync(root, { recursive: true, force: true, maxRetries: 3 }),
  }
}

/** True when `dist` has a build newer than every file under `src`. */
function isFresh(dist: string, src: string): boolean {
  const built = join(dist, 'index.js')
  if (!existsSync(built) || !existsSync(join(dist, 'index.d.ts'))) return false
  return statSync(built).mtimeMs >= newestMtime(src)
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
    }
  }
  return newest
}
