import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import {
  type CommandResult,
  isQuotedFrom,
  killRunningCommands,
  pnpm,
  runCommand,
  snippetsOf,
} from '@tessera/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readVitestReport, type VitestReport } from './vitest-report.js'
import { copyWorkspace, type WorkspaceCopy, workspaceRoot } from './workspace-copy.js'

// `pnpm gen store` run the way a contributor runs it, in a temporary copy of the workspace
// (installed from the pnpm store with --prefer-offline: the new package's dependencies need
// registry metadata, which a store filled by a frozen-lockfile install does not hold, so the
// registry is asked only for what the cache lacks), then the new package's own
// scripts: build, check:package, typecheck, test. The steps run in order and build on each
// other. Under turbo, the devDependencies on @tessera/core and @tessera/testkit make their
// builds run first, and the copy reuses them; otherwise the copy builds them itself.

const NAME = 'acme-kv'
const STORE = 'AcmeKvStore'
/** What `pnpm gen store acme-kv` writes, and nothing else. */
const FILE_SET = [
  '.changeset/acme-kv-store.md',
  'packages/acme-kv/README.md',
  'packages/acme-kv/package.json',
  'packages/acme-kv/src/acme-kv-store-options.ts',
  'packages/acme-kv/src/acme-kv-store.ts',
  'packages/acme-kv/src/index.ts',
  'packages/acme-kv/src/store-method-not-implemented-error.ts',
  'packages/acme-kv/test/conformance.test.ts',
  'packages/acme-kv/tsconfig.json',
  'packages/acme-kv/tsup.config.ts',
  'packages/acme-kv/vitest.config.ts',
]
const NOT_IMPLEMENTED =
  /AcmeKvStore\.(\w+)\(\) is not implemented yet\. Write it in packages\/acme-kv\/src\/acme-kv-store\.ts: CONTRIBUTING\.md \("Write a store"\)/

let copy: WorkspaceCopy
let pkg: string
/** The generated files as the generator wrote them, before the test changes any. */
const generated = new Map<string, string>()
let failingRun: VitestReport | undefined

beforeAll(() => {
  copy = copyWorkspace()
  pkg = join(copy.root, 'packages', NAME)
})
afterAll(() => {
  killRunningCommands()
  copy?.remove()
})

function expectSuccess(result: CommandResult, what: string): void {
  expect(result.code, `${what} failed:\n${result.output}`).toBe(0)
}

const gen = (...args: string[]) =>
  runCommand(process.execPath, ['scripts/gen-store.mjs', ...args], {
    cwd: copy.root,
    timeoutMs: 30_000,
  })

/** Every file under the folders the generator writes to, to prove a refusal wrote nothing. */
function treeListing(): string[] {
  return ['packages', '.changeset'].flatMap((dir) =>
    readdirSync(join(copy.root, dir), { recursive: true }).map((entry) => `${dir}/${entry}`),
  )
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>

describe('pnpm gen store', () => {
  it('refuses a name that is not kebab-case, is taken or names the store, and writes nothing', async () => {
    const before = treeListing()
    const refusals: Array<[string[], RegExp]> = [
      [['store'], /Name the store: `pnpm gen store <name>`/],
      [['store', 'DynamoDb'], /"DynamoDb" is not kebab-case\. .*e\.g\. `dynamo-db`/],
      [['store', 'dynamo_db'], /is not kebab-case/],
      [['store', 'a--b'], /is not kebab-case/],
      [['store', '9lives'], /is not kebab-case/],
      [['store', '../evil'], /is not kebab-case/],
      [['store', 'core'], /packages\/core already exists/],
      [['store', 'test-support'], /@tessera\/test-support already exists \(tests\/support\)/],
      [['store', 'dynamo-store'], /Name the backend, not the store: `pnpm gen store dynamo`/],
      [['adapter', 'fastify'], /There is no "adapter" generator/],
      [['store', 'acme-kv', '--force'], /Unknown option --force/],
      [['store', 'acme-kv', 'extra'], /Unexpected argument "extra"/],
    ]
    for (const [args, message] of refusals) {
      const result = await gen(...args)
      expect(result.code, `gen ${args.join(' ')}`).toBe(1)
      expect(result.output, `gen ${args.join(' ')}`).toMatch(message)
      expect(result.output).toContain('usage: pnpm gen store <name>')
    }

    const dryRun = await gen('store', 'dynamo-db', '--dry-run')
    expectSuccess(dryRun, 'gen store dynamo-db --dry-run')
    expect(dryRun.output).toContain('Would create @tessera/dynamo-db (DynamoDbStore)')
    expect(dryRun.output).toContain('packages/dynamo-db/src/dynamo-db-store.ts')
    expect(treeListing()).toEqual(before)
  })

  it('scaffolds packages/acme-kv with the standard file set and a changeset', async () => {
    const before = new Set(treeListing())
    // Through the root script, as CONTRIBUTING.md says; before `pnpm install`, like a fresh clone.
    const result = await pnpm(['gen', 'store', NAME], copy.root)
    expectSuccess(result, 'pnpm gen store acme-kv')
    expect(result.output).toContain(`Created @tessera/${NAME} (${STORE}) in packages/${NAME}`)

    const written = treeListing().filter((path) => !before.has(path) && !isDirectory(path))
    expect(written.sort()).toEqual(FILE_SET)
    for (const path of FILE_SET) generated.set(path, readFileSync(join(copy.root, path), 'utf8'))

    // package.json has the shape of @tessera/redis's: exports map, files, scripts, engines.
    const manifest = readJson(join(pkg, 'package.json'))
    const redis = readJson(join(workspaceRoot, 'packages/redis/package.json'))
    for (const field of ['type', 'sideEffects', 'main', 'module', 'types', 'exports', 'files']) {
      expect(manifest[field], field).toEqual(redis[field])
    }
    for (const field of ['scripts', 'engines', 'license']) {
      expect(manifest[field], field).toEqual(redis[field])
    }
    expect(manifest.name).toBe('@tessera/acme-kv')
    expect(manifest.repository).toMatchObject({ directory: 'packages/acme-kv' })
    expect(manifest.dependencies).toEqual({ '@tessera/core': 'workspace:^' })
    expect(manifest.peerDependencies).toEqual({})
    expect(manifest['//']).toMatch(/^peerDependencies: the client library/)
    expect(manifest.devDependencies).toMatchObject({ '@tessera/testkit': 'workspace:^' })
    for (const config of ['tsconfig.json', 'tsup.config.ts', 'vitest.config.ts']) {
      expect(generated.get(`packages/${NAME}/${config}`), config).toBe(
        readFileSync(join(workspaceRoot, 'packages/redis', config), 'utf8'),
      )
    }

    expect(generated.get(`packages/${NAME}/src/index.ts`)).toBe(
      "export { AcmeKvStore } from './acme-kv-store.js'\nexport type { AcmeKvStoreOptions } from './acme-kv-store-options.js'\n",
    )
    expect(generated.get(`packages/${NAME}/README.md`)).toMatch(
      /\| Option +\| Type +\| Default +\| What it does +\|\n[-| ]+\n\| `prefix` +\| `string` \| `'tessera:'` \|/,
    )
    expect(generated.get(`packages/${NAME}/test/conformance.test.ts`)).toContain(
      "describeStore('AcmeKvStore', () => new AcmeKvStore({ prefix: 'tessera-test:' }), capabilities)",
    )
    expect(generated.get('.changeset/acme-kv-store.md')).toMatch(
      /^---\n'@tessera\/acme-kv': minor\n---\n\nFirst release of `@tessera\/acme-kv`/,
    )

    const again = await gen('store', NAME)
    expect(again.code).toBe(1)
    expect(again.output).toContain(`packages/${NAME} already exists`)
  })

  it('installs from the store, and builds ESM + CJS + types that pass publint and attw', async () => {
    const install = await pnpm(
      ['install', '--prefer-offline', '--frozen-lockfile=false', '--reporter=append-only'],
      copy.root,
      120_000,
    )
    expectSuccess(install, 'pnpm install --prefer-offline in the copy')
    if (copy.needBuild.length > 0) {
      console.warn(
        `building ${copy.needBuild.join(', ')} in the copy: their dist is missing or stale`,
      )
      const filters = copy.needBuild.flatMap((dir) => ['--filter', `./${dir}`])
      expectSuccess(await pnpm([...filters, 'build'], copy.root, 180_000), 'building core/testkit')
    }

    expectSuccess(await pnpm(['run', 'build'], pkg), 'build (tsup)')
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) {
      expect(existsSync(join(pkg, 'dist', file)), `dist/${file}`).toBe(true)
    }
    expectSuccess(await pnpm(['run', 'check:package'], pkg), 'check:package (publint, attw)')

    // Both builds load and throw the typed error, with its code.
    const probe = `
      const code = (e) => e.code + ' ' + e.method
      const esm = await import('./dist/index.js')
      const cjs = (await import('node:module')).createRequire(import.meta.url)('./dist/index.cjs')
      const results = []
      for (const { AcmeKvStore } of [esm, cjs]) {
        results.push(await new AcmeKvStore().get('k').then(() => 'resolved', code))
      }
      console.log(results.join(', '))`
    const loaded = await runCommand(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: pkg,
      timeoutMs: 15_000,
    })
    expectSuccess(loaded, 'loading dist')
    expect(loaded.output.trim()).toBe(
      'STORE_METHOD_NOT_IMPLEMENTED get, STORE_METHOD_NOT_IMPLEMENTED get',
    )
  }, 360_000)

  it('type-checks, and passes Biome (the generator formats long names too)', async () => {
    expectSuccess(await pnpm(['run', 'typecheck'], pkg), 'typecheck (tsc)')
    const long = 'a-backend-with-a-name-this-long-wraps'
    expectSuccess(await gen('store', long), `gen store ${long}`)
    try {
      const lint = await pnpm(
        ['exec', 'biome', 'check', `packages/${NAME}`, `packages/${long}`],
        copy.root,
      )
      expectSuccess(lint, 'biome check of the generated packages')
    } finally {
      rmSync(join(copy.root, 'packages', long), { recursive: true, force: true })
      rmSync(join(copy.root, '.changeset', `${long}-store.md`), { force: true })
    }
  })

  it('fails its conformance run, each case saying which method is not implemented', async () => {
    const run = await pnpm(['run', 'test'], pkg)
    expect(run.code, 'the scaffold must fail its conformance run').not.toBe(0)
    failingRun = readVitestReport(pkg)
    const failed = failingRun.tests.filter((test) => test.status === 'failed')
    const others = failingRun.tests.filter((test) => test.status !== 'failed')
    expect(failed.length).toBeGreaterThan(0)
    // Only the check of which methods exist can pass: it calls none of them.
    expect(others.map((test) => `${test.status}: ${test.fullName}`)).toEqual([
      `passed: ${STORE} store contract has exactly the optional methods its capabilities declare`,
    ])
    const named = new Set<string>()
    for (const test of failed) {
      const message = test.failureMessages.join('\n')
      expect(message, test.fullName).toMatch(NOT_IMPLEMENTED)
      named.add(NOT_IMPLEMENTED.exec(message)?.[1] as string)
    }
    expect([...named].sort()).toEqual(expect.arrayContaining(['destroy', 'get', 'set', 'touch']))
  })

  it('passes its conformance run once the store is written (a reference in-memory store)', async () => {
    copyFileSync(
      join(import.meta.dirname, '../fixtures/acme-kv-store.ts'),
      join(pkg, 'src/acme-kv-store.ts'),
    )
    // Nothing else may depend on the scaffolding's error: the finished store deletes it.
    rmSync(join(pkg, 'src/store-method-not-implemented-error.ts'))
    expectSuccess(await pnpm(['run', 'typecheck'], pkg), 'typecheck of the written store')
    const run = await pnpm(['run', 'test'], pkg)
    expectSuccess(run, 'conformance run of the written store')
    const report = readVitestReport(pkg)
    expect(report.numFailedTests).toBe(0)
    expect(report.numPendingTests, 'no case may be skipped').toBe(0)
    expect(report.numPassedTests).toBe(report.numTotalTests)
    expect(report.numTotalTests, 'the same suite as the failing run').toBe(
      failingRun?.numTotalTests,
    )
  })
})

describe('CONTRIBUTING.md', () => {
  it('links only to files that exist', () => {
    const markdown = readFileSync(join(workspaceRoot, 'CONTRIBUTING.md'), 'utf8')
    const targets = [...markdown.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)]
      .map((match) => match[1] as string)
      .filter((target) => !/^[a-z]+:/.test(target))
    expect(targets.length).toBeGreaterThan(0)
    for (const target of targets) {
      expect(existsSync(join(workspaceRoot, target)), `CONTRIBUTING.md links to ${target}`).toBe(
        true,
      )
    }
  })

  it('quotes only real code: generated files, or files of the workspace', () => {
    expect(generated.size, 'needs the generated files of the scaffold test').toBe(FILE_SET.length)
    const snippets = snippetsOf(readFileSync(join(workspaceRoot, 'CONTRIBUTING.md'), 'utf8'))
    const code = snippets.filter((snippet) => snippet.lang === 'ts' || snippet.lang === 'md')
    expect(code.length).toBeGreaterThan(0)
    for (const snippet of code) {
      const where = `CONTRIBUTING.md line ${snippet.line}`
      expect(snippet.from, `${where}: say where it comes from (<!-- from: path -->)`).toBeDefined()
      const path = snippet.from as string
      const source =
        generated.get(path) ??
        (existsSync(join(workspaceRoot, path))
          ? readFileSync(join(workspaceRoot, path), 'utf8')
          : undefined)
      expect(source, `${where}: ${path} is neither generated nor in the workspace`).toBeDefined()
      expect(isQuotedFrom(snippet.code, source as string), `${where}: not found in ${path}`).toBe(
        true,
      )
    }
  })
})

function isDirectory(path: string): boolean {
  return statSync(join(copy.root, path)).isDirectory()
}
