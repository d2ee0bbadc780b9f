import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import {
  type Generated,
  Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  SqliteDialect,
  sql,
} from 'kysely'

/** A demo account's role: `admin` sees `/admin`. */
export type Role = 'admin' | 'user'

/** The `demo_users` table. */
export interface UsersTable {
  id: Generated<number>
  username: string
  password_hash: string
  role: Role
  created_at: number
}

/** The `demo_settings` table: the generated session secret lives here. */
export interface SettingsTable {
  name: string
  value: string
}

/** The demo's own tables in the SQLite file (the session table is @tessera/kysely's). */
export interface DemoDatabase {
  demo_users: UsersTable
  demo_settings: SettingsTable
}

const sqlRoleCheck = sql<boolean>`role in ('admin', 'user')`

/** The demo schema, as Kysely migrations: they run on every start and apply once. */
const migrations: Record<string, Migration> = {
  '0001_demo_users': {
    async up(db) {
      await db.schema
        .createTable('demo_users')
        .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
        .addColumn('username', 'text', (col) => col.notNull().unique())
        .addColumn('password_hash', 'text', (col) => col.notNull())
        .addColumn('role', 'text', (col) => col.notNull().check(sqlRoleCheck))
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute()
    },
  },
  '0002_demo_settings': {
    async up(db) {
      await db.schema
        .createTable('demo_settings')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('value', 'text', (col) => col.notNull())
        .execute()
    },
  },
}

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
}

/**
 * Opens (creating if needed) the demo's SQLite file through Kysely and better-sqlite3, in WAL
 * mode with a busy timeout so a restart or a second process never meets `SQLITE_BUSY`, and
 * brings its schema up to date.
 *
 * @example
 * ```ts
 * const db = await openDemoDatabase('/tmp/demo.sqlite')
 * await db.selectFrom('demo_users').selectAll().execute()
 * await db.destroy()
 * ```
 */
export async function openDemoDatabase(path: string): Promise<Kysely<DemoDatabase>> {
  mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<DemoDatabase>({ dialect: new SqliteDialect({ database: sqlite }) })
  const { error } = await new Migrator({ db, provider }).migrateToLatest()
  if (error) {
    await db.destroy()
    throw error
  }
  return db
}
