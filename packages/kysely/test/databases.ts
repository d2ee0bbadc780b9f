import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireMysql, requirePostgres } from '@tessera/test-support'
import Database from 'better-sqlite3'
import { Kysely, type LogEvent, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely'
import { createPool } from 'mysql2'
import pg from 'pg'
import type { SqlDialect } from '../src/index.js'

/** A database a suite runs against: how to open a Kysely instance on it, and how to let go. */
export interface TestDatabase {
  name: string
  dialect: SqlDialect
  url: string
  /** A new Kysely instance (its own pool / connection); the caller destroys it. */
  open(options?: OpenOptions): Kysely<unknown>
  /** Stops a private server and removes temp files; the shared servers are left alone. */
  release(): Promise<void>
}

export interface OpenOptions {
  /** Kysely's query log, e.g. to count statements. */
  log?: (event: LogEvent) => void
}

/** `sessions_<random>`: one table per run or per case, so runs on a shared server never collide. */
export function uniqueTable(prefix = 'sessions'): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 10)}`
}

/** SQLite in a temp file, in WAL mode with a busy timeout, as the README recommends. */
export function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-kysely-'))
  const file = join(dir, 'sessions.db')
  return {
    name: 'SQLite',
    dialect: 'sqlite',
    url: file,
    open(options = {}) {
      const database = new Database(file)
      database.pragma('journal_mode = WAL')
      database.pragma('busy_timeout = 5000')
      return new Kysely<unknown>({ dialect: new SqliteDialect({ database }), ...options })
    },
    async release() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** PostgreSQL at `POSTGRES_URL` (or a private one); null when there is none (skip). */
export async function postgresDatabase(): Promise<TestDatabase | null> {
  const server = await requirePostgres()
  if (!server) return null
  return {
    name: 'PostgreSQL',
    dialect: 'postgres',
    url: server.url,
    open: (options) => openPostgres(server.url, {}, options),
    release: () => server.stop(),
  }
}

export function openPostgres(
  url: string,
  config: pg.PoolConfig = {},
  options: OpenOptions = {},
): Kysely<unknown> {
  const pool = new pg.Pool({ connectionString: url, max: 10, ...config })
  // pg emits an 'error' event when a connection drops: on the pool for an idle connection,
  // on the client for a checked-out one (its query fails too). Without listeners the event
  // crashes the process. The README tells users the same.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  return new Kysely<unknown>({ dialect: new PostgresDialect({ pool }), ...options })
}

/** MySQL/MariaDB at `MYSQL_URL` (or a private MariaDB); null when there is none (skip). */
export async function mysqlDatabase(): Promise<TestDatabase | null> {
  const server = await requireMysql()
  if (!server) return null
  return {
    name: 'MySQL',
    dialect: 'mysql',
    url: server.url,
    open: (options) => openMysql(server.url, options),
    release: () => server.stop(),
  }
}

export function openMysql(url: string, options: OpenOptions = {}): Kysely<unknown> {
  const pool = createPool({ uri: url, connectionLimit: 10 })
  return new Kysely<unknown>({ dialect: new MysqlDialect({ pool }), ...options })
}

/** Every database this machine offers: SQLite always, the servers when they answer. */
export async function availableDatabases(): Promise<TestDatabase[]> {
  const [postgres, mysql] = await Promise.all([postgresDatabase(), mysqlDatabase()])
  return [sqliteDatabase(), postgres, mysql].filter((db): db is TestDatabase => db !== null)
}
