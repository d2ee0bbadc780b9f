import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * Issue 18, release readiness: every public package's manifest says what the registry shows
 * (description, keywords, repository with its folder, homepage, bugs, license, author) and how
 * it installs (engines, sideEffects, files, public access), the same way for every package,
 * under the repository's MIT LICENSE.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

interface Manifest {
  name: string
  private?: boolean
  description?: string
  keywords?: string[]
  license?: string
  author?: string | { name?: string }
  homepage?: string
  bugs?: { url?: string }
  repository?: { type?: string; url?: string; directory?: string }
  engines?: Record<string, string>
  sideEffects?: boolean
  files?: string[]
  publishConfig?: { access?: string }
}

const read = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T

const packages = readdirSync(join(root, 'packages'))
  .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
  .map((dir) => ({ dir, manifest: read<Manifest>(join(root, 'packages', dir, 'package.json')) }))
  .filter(({ manifest }) => manifest.private !== true)

const rootManifest = read<{ engines?: Record<string, string> }>(join(root, 'package.json'))
const core = packages.find(({ dir }) => dir === 'core')?.manifest
/** `git+https://host/owner/repo.git` → `https://host/owner/repo`: what homepage and bugs share. */
const repositoryWeb = (core?.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '')

describe('public package manifests', () => {
  it('cover the nine public packages', () => {
    expect(packages.map(({ dir }) => dir).sort()).toEqual(
      expect.arrayContaining([
        'core',
        'testkit',
        'redis',
        'kysely',
        'mongodb',
        'file',
        'koa',
        'hono',
        'express',
      ]),
    )
    expect(repositoryWeb).toMatch(/^https:\/\/[^/]+\/.+/)
  })

  it('the repository root has the MIT LICENSE', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8')
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} \S/)
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND')
  })

  describe.each(packages.map(({ dir, manifest }) => [dir, manifest] as const))(
    '@tessera/%s',
    (dir, manifest) => {
      it('names itself, says what it is and how to find it', () => {
        expect(manifest.name).toBe(`@tessera/${dir}`)
        expect(manifest.description?.length ?? 0).toBeGreaterThan(20)
        expect(manifest.keywords?.length ?? 0).toBeGreaterThanOrEqual(3)
        expect(new Set(manifest.keywords).size).toBe(manifest.keywords?.length)
        expect(manifest.keywords).toContain('session')
        expect(manifest.repository).toEqual({
          type: 'git',
          url: core?.repository?.url,
          directory: `packages/${dir}`,
        })
        expect(manifest.homepage).toBe(`${repositoryWeb}/tree/main/packages/${dir}#readme`)
        expect(manifest.bugs).toEqual({ url: `${repositoryWeb}/issues` })
      })

      it('is MIT-licensed, with an author; a LICENSE of its own is the root one', () => {
        expect(manifest.license).toBe('MIT')
        const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name
        expect(author?.length ?? 0).toBeGreaterThan(0)
        // pnpm pack puts the workspace root's LICENSE into a package that has none (the tarball
        // test checks it is there); a package's own LICENSE would replace it.
        const own = join(root, 'packages', dir, 'LICENSE')
        if (existsSync(own)) {
          expect(readFileSync(own, 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'))
        }
      })

      it('says how it installs: engines, side effects, files, public access', () => {
        expect(manifest.engines?.node).toBe(rootManifest.engines?.node)
        expect(manifest.sideEffects).toBe(false)
        expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md']))
        expect(manifest.files?.some((entry) => /test|config/.test(entry))).toBe(false)
        expect(manifest.publishConfig).toEqual({ access: 'public' })
      })
    },
  )
})
