import { join } from 'node:path'
import { runCommand } from '@tessera/test-support'
import { expect, it } from 'vitest'
import { root } from '../src/workspace.js'

// Every example file type-checks under the workspace's strict settings, against the packages'
// built declarations (what a user's editor sees), signatures.ts's type tests included.
it('examples/ type-checks (tsc -p examples)', async () => {
  const tsc = join(root, 'node_modules/.bin/tsc')
  const result = await runCommand(tsc, ['-p', 'tsconfig.json'], {
    cwd: join(root, 'examples'),
    timeoutMs: 120_000,
  })
  expect(result.output.trim(), 'tsc found errors').toBe('')
  expect(result.code).toBe(0)
})
