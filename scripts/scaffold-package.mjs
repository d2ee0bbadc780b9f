// One-off helper kept for contributors: writes the standard file set of a new package.
// Usage: node scripts/scaffold-package.mjs <dir> "<description>"
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir, description = ''] = process.argv.slice(2)
if (!dir) throw new Error('usage: node scripts/scaffold-package.mjs <dir> "<description>"')
const root = join('packages', dir)
mkdirSync(join(root, 'src'), { recursive: true })
mkdirSync(join(root, 'test'), { recursive: true })
const write = (file, text) => {
  const path = join(root, file)
  if (!existsSync(path)) writeFileSync(path, text)
}
write(
  'package.json',
  `${JSON.stringify(
    {
      name: `@tessera/${dir}`,
      version: '0.0.0',
      description,
      license: 'MIT',
      type: 'module',
      sideEffects: false,
      main: './dist/index.cjs',
      module: './dist/index.js',
      types: './dist/index.d.cts',
      exports: {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
        './package.json': './package.json',
      },
      files: ['dist', 'src', 'README.md'],
      scripts: {
        build: 'tsup',
        typecheck: 'tsc -p tsconfig.json',
        lint: 'biome check .',
        test: 'vitest run',
        'check:package': 'publint --strict && attw --pack . --profile node16',
      },
      repository: { type: 'git', url: 'git+https://example.invalid/tessera.git', directory: root },
      engines: { node: '>=20.16' },
    },
    null,
    2,
  )}\n`,
)
write(
  'tsup.config.ts',
  `import { packageBuild } from '../../config/tsup'\n\nexport default packageBuild()\n`,
)
write(
  'vitest.config.ts',
  `import { packageTests } from '../../config/vitest'\n\nexport default packageTests()\n`,
)
write(
  'tsconfig.json',
  `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { types: ['node'] }, include: ['src', 'test', '*.ts'] }, null, 2)}\n`,
)
write('src/index.ts', 'export {}\n')
write('README.md', `# @tessera/${dir}\n\n${description}\n`)
