import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CookieStore, MemoryStore, type SessionStore } from '@tessera/core'
import { createSessionTable, KyselyStore } from '@tessera/kysely'
import { RedisStore } from '@tessera/redis'
import { requireRedis, type ServiceHandle } from '@tessera/test-support'
import Database from 'better-sqlite3'
import { Redis } from 'ioredis'
import { Kysely, SqliteDialect } from 'kysely'

export type StoreKind = 'memory' | 'redis' | 'sqlite' | 'cookie'

/** One kind of store the suite runs on, ready to hand out stores for apps. */
export interface StoreFixture {
  readonly kind: StoreKind
  /** e.g. `'KyselyStore (SQLite)'`. */
  readonly label: string
  /** True for stores that keep the session server-side (everything but CookieStore). */
  readonly serverSide: boolean
  /**
   * A store for one app. Server stores share their backend (one Redis key prefix, one SQLite
   * table per fixture), so two apps given the same store object see the same sessions.
   */
  create(): SessionStore | CookieStore
}

/** The fixtures of this test file, and how to release what they opened. */
export interface StoreFixtures {
  /** MemoryStore, RedisStore (when a Redis answers or can be started), KyselyStore on SQLite, CookieStore. */
  readonly all: readonly StoreFixture[]
  /** Kinds that could not be set up, with the loud reason already printed. */
  readonly missing: ReadonlyArray<{ kind: StoreKind; label: string; reason: string }>
  release(): Promise<void>
}

/**
 * Opens the backends one test file needs: a Redis (the shared one at `REDIS_URL` or
 * 127.0.0.1:6379 under a key prefix of this run, deleted afterwards; or a private server),
 * a SQLite file in a temp dir, and nothing for MemoryStore and CookieStore.
 */
export async function openStoreFixtures(
  kinds: readonly StoreKind[] = ['memory', 'redis', 'sqlite', 'cookie'],
): Promise<StoreFixtures> {
  const all: StoreFixture[] = []
  const missing: Array<{ kind: StoreKind; label: string; reason: string }> = []
  const releases: Array<() => Promise<void>> = []
  for (const kind of kinds) {
    if (kind === 'memory') {
      all.push({ kind, label: 'MemoryStore', serverSide: true, create: () => new MemoryStore() })
    } else if (kind === 'cookie') {
      all.push({ kind, label: 'CookieStore', serverSide: false, create: () => new CookieStore() })
    } else if (kind === 'sqlite') {
      const { fixture, release } = await sqliteFixture()
      all.push(fixture)
      releases.push(release)
    } else {
      const opened = await redisFixture()
      if (opened) {
        all.push(opened.fixture)
        releases.push(opened.release)
      } else {
        missing.push({ kind, label: 'RedisStore', reason: 'no Redis server (see the line above)' })
      }
    }
  }
  return {
    all,
    missing,
    async release() {
      for (const release of releases.reverse()) await release()
    },
  }
}

async function sqliteFixture(): Promise<{ fixture: StoreFixture; release: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-security-'))
  const database = new Database(join(dir, 'sessions.db'))
  database.pragma('journal_mode = WAL')
  database.pragma('busy_timeout = 5000')
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) })
  const table = 'security_sessions'
  await createSessionTable(db, { table })
  return {
    fixture: {
      kind: 'sqlite',
      label: 'KyselyStore (SQLite)',
      serverSide: true,
      create: () => new KyselyStore({ db, table }),
    },
    async release() {
      await db.destroy()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function redisFixture(): Promise<{
  fixture: StoreFixture
  release: () => Promise<void>
} | null> {
  const server: ServiceHandle | null = await requireRedis()
  if (!server) return null
  const client = new Redis(server.url, { maxRetriesPerRequest: 1, enableAutoPipelining: true })
  const prefix = `tessera-security:${randomUUID().slice(0, 8)}:`
  return {
    fixture: {
      kind: 'redis',
      label: 'RedisStore',
      serverSide: true,
      create: () => new RedisStore({ client, prefix }),
    },
    async release() {
      await deleteKeys(client, prefix)
      client.disconnect()
      await server.stop()
    },
  }
}

/** Deletes this run's keys from a Redis shared with other suites (never FLUSHALL). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await client.del(...keys)
  } while (cursor !== '0')
}
