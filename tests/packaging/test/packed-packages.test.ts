import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filesIn, tarballProblems } from './tarball-contents.js'

/**
 * What a user installing single scoped packages gets: each public package is packed with
 * `pnpm pack` (workspace ranges become real versions), each tarball's contents are checked,
 * the tarballs are installed with npm into a project outside the workspace, and each is used
 * from both ESM and CommonJS.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Named exports each package must offer, and the peer dependencies a user installs with it. */
const EXPECTED: Record<
  string,
  { exports: string[]; peers: string[]; esmOnly?: boolean; subpaths?: Record<string, string[]> }
> = {
  core: {
    exports: ['createSessionEngine', 'MemoryStore', 'CookieStore', 'SessionStoreError'],
    peers: [],
    subpaths: { adapter: ['resolveCsrfPolicy', 'canDeliverId', 'readWebBody', 'engineFrom'] },
  },
  // ESM only: vitest itself cannot be loaded with require().
  testkit: { exports: ['describeStore', 'slowStore'], peers: ['vitest@^4'], esmOnly: true },
  redis: { exports: ['RedisStore'], peers: ['ioredis@^5'] },
  kysely: { exports: ['KyselyStore', 'createSessionTable'], peers: ['kysely@^0.28'] },
  mongodb: { exports: ['MongoStore', 'ensureIndexes'], peers: ['mongodb@^6'] },
  file: { exports: ['FileStore'], peers: [] },
  express: { exports: ['session', 'csrf'], peers: ['express@^5'] },
  koa: { exports: ['session', 'csrf'], peers: ['koa@^3'] },
  hono: { exports: ['session', 'csrf'], peers: ['hono@^4'] },
  opentelemetry: { exports: ['openTelemetryMetrics'], peers: ['@opentelemetry/api@^1'] },
}

/** Every public package of the workspace: each must be declared above and built. */
const packages = readdirSync(join(root, 'packages')).filter((dir) => {
  const manifest = join(root, 'packages', dir, 'package.json')
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).private !== true
})

function pnpm(args: string[], cwd: string): string {
  const viaPath = process.env.npm_execpath?.includes('pnpm') ? process.env.npm_execpath : null
  if (viaPath) return execFileSync(process.execPath, [viaPath, ...args], { cwd, encoding: 'utf8' })
  return execFileSync('pnpm', args, { cwd, encoding: 'utf8' })
}

describe('packed packages installed outside the workspace', () => {
  let project = ''

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'tessera-packed-'))
    const tarballs = join(project, 'tarballs')
    mkdirSync(tarballs)
    for (const dir of packages) {
      const destination = join(tarballs, dir)
      mkdirSync(destination)
      pnpm(['pack', '--pack-destination', destination], join(root, 'packages', dir))
      const [tarball] = readdirSync(destination)
      const unpacked = join(project, 'unpacked', dir)
      mkdirSync(unpacked, { recursive: true })
      execFileSync('tar', ['-xzf', join(destination, tarball as string), '-C', unpacked])
    }
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'tessera-user', private: true }),
    )
    const files = packages.map((dir) => {
      const [tarball] = readdirSync(join(tarballs, dir))
      return join(tarballs, dir, tarball as string)
    })
    const peers = packages.flatMap((dir) => EXPECTED[dir]?.peers ?? [])
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, ...peers],
      {
        cwd: project,
        encoding: 'utf8',
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    )
  })

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true })
  })

  it('every public package is declared here and was built (a missing build fails, never skips)', () => {
    expect(packages).toContain('core')
    for (const dir of packages) {
      expect(EXPECTED[dir], `packages/${dir} is public: add it to EXPECTED`).toBeDefined()
      expect(
        existsSync(join(root, 'packages', dir, 'dist')),
        `packages/${dir} has no dist/: run \`pnpm build\` first`,
      ).toBe(true)
    }
  })

  it.each(packages)(
    '@tessera/%s: the tarball holds its build, types, sources, README and LICENSE, and nothing else',
    (dir) => {
      const unpacked = join(project, 'unpacked', dir, 'package')
      expect(filesIn(unpacked).length).toBeGreaterThan(3)
      expect(tarballProblems(unpacked, readFileSync(join(root, 'LICENSE'), 'utf8'))).toEqual([])
    },
  )

  it('installed tarballs contain no workspace: ranges', () => {
    for (const dir of packages) {
      const manifest = readFileSync(
        join(project, 'node_modules/@tessera', dir, 'package.json'),
        'utf8',
      )
      expect(manifest).not.toContain('workspace:')
    }
  })

  it.each(packages)('@tessera/%s loads from ESM and CJS with its exports', (dir) => {
    const entries: Array<[string, string[]]> = [
      [`@tessera/${dir}`, EXPECTED[dir]?.exports ?? []],
      ...Object.entries(EXPECTED[dir]?.subpaths ?? {}).map(
        ([subpath, names]): [string, string[]] => [`@tessera/${dir}/${subpath}`, names],
      ),
    ]
    for (const [name, exports] of entries) checkEntry(dir, name, exports)
  })

  function checkEntry(dir: string, name: string, exports: string[]) {
    const names = JSON.stringify(exports)
    const check = `const missing = ${names}.filter((n) => !(n in mod)); if (missing.length) { console.error('missing', missing); process.exit(1) } console.log('ok')`
    const file = name.replace(/\W+/g, '-')
    writeFileSync(join(project, `check-${file}.mjs`), `import * as mod from '${name}'\n${check}\n`)
    writeFileSync(join(project, `check-${file}.cjs`), `const mod = require('${name}')\n${check}\n`)
    expect(
      execFileSync(process.execPath, [`check-${file}.mjs`], {
        cwd: project,
        encoding: 'utf8',
      }).trim(),
    ).toBe('ok')
    if (EXPECTED[dir]?.esmOnly) return
    expect(
      execFileSync(process.execPath, [`check-${file}.cjs`], {
        cwd: project,
        encoding: 'utf8',
      }).trim(),
    ).toBe('ok')
  }

  it('a session round trip works from both module systems', () => {
    const body = (load: string) => `${load}
const engine = createSessionEngine({ secret: 'x'.repeat(40), store: new MemoryStore() })
;(async () => {
  const a = engine.start({}); await a.load(); a.session.set('n', 41)
  const cookie = (await a.commit()).find(([h]) => h === 'set-cookie')[1].split(';')[0]
  const b = engine.start({ cookie }); await b.load()
  console.log(b.session.get('n') + 1)
})()`
    writeFileSync(
      join(project, 'roundtrip.mjs'),
      body(`import { createSessionEngine, MemoryStore } from '@tessera/core'`),
    )
    writeFileSync(
      join(project, 'roundtrip.cjs'),
      body(`const { createSessionEngine, MemoryStore } = require('@tessera/core')`),
    )
    expect(
      execFileSync(process.execPath, ['roundtrip.mjs'], { cwd: project, encoding: 'utf8' }).trim(),
    ).toBe('42')
    expect(
      execFileSync(process.execPath, ['roundtrip.cjs'], { cwd: project, encoding: 'utf8' }).trim(),
    ).toBe('42')
  })
})
