import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { tempDir } from './helpers.js'

// The README's quick example is test/readme-example.ts: the README must show it verbatim, and
// it must run.

function readmeBlock(heading: string): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const section = readme.split(`\n## ${heading}\n`)[1]
  const block = section?.match(/```ts\n([\s\S]*?)```/)?.[1]
  if (!block) throw new Error(`README.md has no ts block under "## ${heading}"`)
  return block
}

describe('README', () => {
  const root = tempDir('readme')
  afterAll(() => root.cleanup())

  it('shows test/readme-example.ts verbatim', () => {
    const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8')
    const region = source.split('// #region readme\n')[1]?.split('// #endregion readme')[0]
    expect(region).toBeDefined()
    expect(readmeBlock('Quick example')).toBe(region)
  })

  it('the quick example runs: a session is stored as one 0600 file in a 0700 directory', async () => {
    const dir = join(root.path, 'sessions')
    vi.stubEnv('SESSIONS_DIR', dir)
    vi.stubEnv('SESSION_SECRET', 'readme-example-secret-0123456789abcdef')
    try {
      const { engine, store } = await import('./readme-example.js')
      const rs = engine.start({})
      await rs.load()
      rs.session.set('greeting', 'hello')
      const headers = await rs.commit({ status: 200 })
      expect(headers.some(([name]) => name === 'set-cookie')).toBe(true)
      const files = readdirSync(dir)
      expect(files).toHaveLength(1)
      expect(statSync(dir).mode & 0o777).toBe(0o700)
      expect(statSync(join(dir, files[0] as string)).mode & 0o777).toBe(0o600)
      expect(readFileSync(join(dir, files[0] as string), 'utf8')).toContain('hello')
      await store.close()
    } finally {
      vi.unstubAllEnvs()
    }
  })
})
