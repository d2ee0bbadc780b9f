import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { killRunningCommands, pnpm, runCommand } from '@tessera/test-support'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../src/temp-dir.js'
import { type Manifest, publicPackages, readJson, root } from '../src/workspace.js'

// Issue 18, release readiness: `changeset version` (what `pnpm version-packages` runs) turns
// changesets into the right versions, internal dependency ranges and CHANGELOG entries. It runs
// on a temporary copy of the workspace's manifests and changeset config, never on the tree.

const cli = dirname(createRequire(import.meta.url).resolve('@changesets/cli/package.json'))

/** Every workspace package's folder, relative to the root (from pnpm-workspace.yaml's globs). */
function workspaceDirs(): string[] {
  const globs = [
    ...readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^ {2}- (\S+)$/gm),
  ].map((match) => match[1] as string)
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return existsSync(join(root, glob, 'package.json')) ? [glob] : []
    const parent = glob.slice(0, -2)
    return readdirSync(join(root, parent))
      .map((dir) => `${parent}/${dir}`)
      .filter((dir) => existsSync(join(root, dir, 'package.json')))
  })
}

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})
afterAll(() => killRunningCommands())

/** A copy of the workspace's manifests and changeset config, with `changesets` added. */
function workspaceCopy(changesets: Record<string, string>): string {
  const { path, cleanup } = tempDir('changesets')
  cleanups.push(cleanup)
  for (const file of ['package.json', 'pnpm-workspace.yaml']) {
    copyFileSync(join(root, file), join(path, file))
  }
  for (const dir of workspaceDirs()) {
    mkdirSync(join(path, dir), { recursive: true })
    copyFileSync(join(root, dir, 'package.json'), join(path, dir, 'package.json'))
  }
  mkdirSync(join(path, '.changeset'))
  copyFileSync(join(root, '.changeset/config.json'), join(path, '.changeset/config.json'))
  for (const [name, text] of Object.entries(changesets)) {
    writeFileSync(join(path, '.changeset', name), text)
  }
  // The config names its changelog generator by package: resolve it from the copy.
  mkdirSync(join(path, 'node_modules/@changesets'), { recursive: true })
  symlinkSync(realpathSync(cli), join(path, 'node_modules/@changesets/cli'))
  return path
}

async function changesetVersion(path: string): Promise<void> {
  const result = await runCommand(process.execPath, [join(cli, 'bin.js'), 'version'], {
    cwd: path,
    timeoutMs: 60_000,
  })
  expect(result.code, result.output).toBe(0)
}

const manifestIn = (path: string, dir: string) =>
  readJson<Manifest>(join(path, 'packages', dir, 'package.json'))
const changelogIn = (path: string, dir: string) =>
  readFileSync(join(path, 'packages', dir, 'CHANGELOG.md'), 'utf8')

/** Links each `@tessera/*` dependency of a copied package to its copied folder, as pnpm would. */
function linkWorkspaceDependencies(path: string, dir: string) {
  const byName = new Map(
    workspaceDirs().map((folder) => [
      readJson<Manifest>(join(path, folder, 'package.json')).name,
      folder,
    ]),
  )
  const manifest = manifestIn(path, dir)
  const names = Object.keys({
    ...manifest.dependencies,
    ...manifest.devDependencies,
    ...manifest.peerDependencies,
  }).filter((name) => name.startsWith('@tessera/'))
  const modules = join(path, 'packages', dir, 'node_modules/@tessera')
  mkdirSync(modules, { recursive: true })
  for (const name of names) {
    const target = join(path, byName.get(name) as string)
    symlinkSync(relative(modules, target), join(modules, name.slice('@tessera/'.length)))
  }
}

describe('changeset version', () => {
  it('a minor change of core: core 0.1.0, its dependents patched, ranges and changelogs right', async () => {
    const before = new Map(publicPackages().map((pkg) => [pkg.dir, pkg.manifest.version]))
    expect(before.get('core')).toBe('0.0.0') // the expectations below start from 0.0.0
    const path = workspaceCopy({
      'sample-change.md':
        "---\n'@tessera/core': minor\n'@tessera/redis': patch\n---\n\nA sample change of the engine.\n",
    })
    await changesetVersion(path)

    expect(manifestIn(path, 'core').version).toBe('0.1.0')
    expect(changelogIn(path, 'core')).toMatch(
      /^# @tessera\/core\n\n## 0\.1\.0\n\n### Minor Changes\n\n- A sample change of the engine\.\n/,
    )
    const redis = changelogIn(path, 'redis')
    expect(redis).toMatch(/## 0\.0\.1\n\n### Patch Changes\n\n- A sample change of the engine\.\n/)
    expect(redis).toContain('- Updated dependencies\n  - @tessera/core@0.1.0')

    // `^0.0.0` admits only 0.0.x: every package depending on core must be released with it.
    const dependents = publicPackages().filter(
      (pkg) => pkg.manifest.dependencies?.['@tessera/core'],
    )
    expect(dependents.length).toBeGreaterThan(5)
    for (const { dir } of dependents) {
      const manifest = manifestIn(path, dir)
      expect(manifest.version, `@tessera/${dir}`).toBe('0.0.1')
      expect(manifest.dependencies?.['@tessera/core'], `@tessera/${dir}`).toMatch(/^workspace:/)
      expect(changelogIn(path, dir)).toContain('- Updated dependencies\n  - @tessera/core@0.1.0')
    }
    // Private workspace packages are not versioned.
    for (const dir of ['apps/docs', 'tests/docs', 'examples']) {
      expect(readJson<Manifest>(join(path, dir, 'package.json')).version).toBe('0.0.0')
      expect(existsSync(join(path, dir, 'CHANGELOG.md'))).toBe(false)
    }

    // Packed, the dependency names the new version.
    linkWorkspaceDependencies(path, 'redis')
    const packed = await pnpm(
      ['pack', '--pack-destination', path],
      join(path, 'packages/redis'),
      60_000,
    )
    expect(packed.code, packed.output).toBe(0)
    const untar = await runCommand(
      'tar',
      ['-xzOf', 'tessera-redis-0.0.1.tgz', 'package/package.json'],
      {
        cwd: path,
        timeoutMs: 30_000,
      },
    )
    expect(JSON.parse(untar.output).dependencies['@tessera/core']).toBe('^0.1.0')
  })

  it("the repository's pending changesets apply: each names a public package and lands in its changelog", async () => {
    const pending = readdirSync(join(root, '.changeset')).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    )
    expect(pending.length).toBeGreaterThan(0)
    const texts = Object.fromEntries(
      pending.map((file) => [file, readFileSync(join(root, '.changeset', file), 'utf8')]),
    )
    const path = workspaceCopy(texts)
    await changesetVersion(path)
    const publicNames = new Map(publicPackages().map((pkg) => [pkg.manifest.name, pkg.dir]))
    for (const [file, text] of Object.entries(texts)) {
      const [, front = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? []
      const named = [...front.matchAll(/^["']?(@[\w-]+\/[\w-]+)["']?:\s*(major|minor|patch)$/gm)]
      expect(named.length, `.changeset/${file} names no package and bump`).toBeGreaterThan(0)
      const firstLine = body.trim().split('\n')[0] as string
      for (const [, name] of named) {
        const dir = publicNames.get(name as string)
        expect(dir, `.changeset/${file}: ${name} is not a public package`).toBeDefined()
        expect(
          changelogIn(path, dir as string),
          `.changeset/${file} in ${name}'s CHANGELOG`,
        ).toContain(firstLine)
      }
    }
    for (const dir of publicNames.values()) {
      expect(manifestIn(path, dir).version, `@tessera/${dir}`).not.toBe('0.0.0')
    }
  })
})
