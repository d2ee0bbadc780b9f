import { readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, type ViteUserConfig } from 'vitest/config'

const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../packages')

/**
 * Tests import sibling packages from their sources, so a package's suite runs against the
 * code beside it rather than against whatever was last built. The packed-tarball test
 * (tests/packaging) covers the built output.
 */
const workspaceAliases = readdirSync(packagesDir).flatMap((dir) => [
  { find: new RegExp(`^@tessera/${dir}$`), replacement: join(packagesDir, dir, 'src/index.ts') },
  // Subpath exports (`@tessera/core/adapter`) live in `src/<subpath>/index.ts`.
  {
    find: new RegExp(`^@tessera/${dir}/(.+)$`),
    replacement: join(packagesDir, dir, 'src/$1/index.ts'),
  },
])

export function packageTests(overrides: ViteUserConfig['test'] = {}) {
  return defineConfig({
    resolve: { alias: workspaceAliases },
    test: {
      include: ['test/**/*.test.ts'],
      // The JSON report feeds the one-line total that scripts/test.mjs prints at the end.
      reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  })
}
