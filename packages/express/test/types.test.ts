import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// `req.session`'s type comes from augmenting SessionData, which is global to a program: each
// case is a small project of its own, compiled by tsc. Its `@ts-expect-error` lines are the
// assertions (tsc fails when an expected error does not happen).
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

function compile(project: string): string {
  const path = fileURLToPath(new URL(`./types/${project}/tsconfig.json`, import.meta.url))
  try {
    execFileSync(process.execPath, [tsc, '-p', path], { encoding: 'utf8' })
    return ''
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error)
  }
}

describe('types of req.session (each compiled on its own by tsc)', () => {
  it('declared keys are typed and strict, in property access and get(); API members cannot be assigned', () => {
    expect(compile('strict-data')).toBe('')
  }, 60_000)

  it('a SessionData that declares a reserved name (userId) makes req.session name the mistake', () => {
    expect(compile('reserved-name')).toBe('')
  }, 60_000)
})
