import { defineConfig, type Options } from 'tsup'

/**
 * The one build every package uses: ESM + CJS + type declarations for each entry, so that
 * `import` and `require` users both get typed, tree-shakable code.
 */
export function packageBuild(overrides: Partial<Options> = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    treeshake: true,
    ...overrides,
  })
}
