import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { afterEach } from 'vitest'
import { type DemoDatabase, openDemoDatabase } from '../src/index.js'

const opened: Array<{ db: Kysely<DemoDatabase>; dir: string }> = []
afterEach(async () => {
  for (const { db, dir } of opened.splice(0)) {
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
})

/** A migrated demo database in a fresh temp file, destroyed after the test. */
export async function tempDatabase(): Promise<{ db: Kysely<DemoDatabase>; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-kit-'))
  const path = join(dir, 'demo.sqlite')
  const db = await openDemoDatabase(path)
  opened.push({ db, dir })
  return { db, path }
}
