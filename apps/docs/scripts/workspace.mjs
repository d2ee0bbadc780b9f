// What the site build reads from the workspace: the public packages and their entry points,
// and the repository's address (from the packages' manifests, so there is one source of it).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** apps/docs */
export const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** The root of the workspace. */
export const root = resolve(docsDir, '../..')

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))

/**
 * Every package under `packages/` that is published (not private), with its entry points:
 * `.` is `src/index.ts`, a subpath export `./adapter` is `src/adapter/index.ts`.
 * @returns {Array<{ dir: string, name: string, entries: Array<{ specifier: string, file: string }> }>}
 */
export function publicPackages() {
  const packagesDir = join(root, 'packages')
  return readdirSync(packagesDir)
    .filter((dir) => existsSync(join(packagesDir, dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readJson(join(packagesDir, dir, 'package.json')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => {
      const subpaths = Object.keys(manifest.exports ?? { '.': null }).filter(
        (entry) => entry !== './package.json',
      )
      const entries = subpaths.map((subpath) => ({
        specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
        file: join(
          packagesDir,
          dir,
          subpath === '.' ? 'src/index.ts' : `src/${subpath.slice(2)}/index.ts`,
        ),
      }))
      return { dir, name: manifest.name, entries }
    })
}

/**
 * The repository's web address, from `@tessera/core`'s `repository.url`
 * (`git+https://host/owner/repo.git` becomes `https://host/owner/repo`).
 */
export function repositoryUrl() {
  const { repository } = readJson(join(root, 'packages/core/package.json'))
  const url = typeof repository === 'string' ? repository : repository?.url
  if (!url) throw new Error('packages/core/package.json has no repository.url')
  return url.replace(/^git\+/, '').replace(/\.git$/, '')
}
