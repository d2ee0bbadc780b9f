import type { SessionOptions } from '@tessera/core'
import type { Kysely } from 'kysely'
import { type DemoConfig, type DemoEnv, parseDemoConfig } from './demo-config.js'
import { type DemoDatabase, openDemoDatabase } from './demo-database.js'
import { type OpenedSessionStore, openSessionStore } from './open-session-store.js'
import { seedAccounts } from './seed-accounts.js'
import { resolveSessionSecret } from './session-secret.js'
import { describeSessionStore } from './session-store-spec.js'
import { UserRepository } from './user-repository.js'
import type { FooterInfo } from './views/page-context.js'

/** Options of {@link openDemo}. */
export interface OpenDemoOptions {
  /** Shown in titles, the footer and the console: `'Express'`, `'Koa'`, `'Hono'`. */
  framework: string
  /** The app's folder: relative paths (`DATABASE_PATH`, `file:`) resolve against it. */
  appDir: string
  /** Default `process.env`. */
  env?: DemoEnv
  /** Where start-up lines go. Default `console.log`. */
  log?: (line: string) => void
}

/** Everything a demo app needs besides its framework. */
export interface Demo {
  config: DemoConfig
  /** The SQLite database: users, the generated secret, and (by default) the sessions. */
  database: Kysely<DemoDatabase>
  users: UserRepository
  sessionStore: OpenedSessionStore
  /** The options to pass to the adapter's `session()`: secret, store, timeouts. */
  sessionOptions: SessionOptions
  footer: FooterInfo
  /** The store as the console names it (full paths; passwords masked). */
  storeLabel: string
  /** Closes the store's connections and the database. */
  close(): Promise<void>
}

/**
 * Reads the configuration, opens the SQLite database (migrating it), seeds the `admin` and
 * `user` accounts, resolves the session secret and opens the session store. Every mistake
 * (a bad variable, an unreachable store) fails here, before the app listens.
 *
 * @example
 * ```ts
 * const demo = await openDemo({ framework: 'Express', appDir })
 * app.use(session(demo.sessionOptions))
 * ```
 */
export async function openDemo(options: OpenDemoOptions): Promise<Demo> {
  const log = options.log ?? console.log
  const config = parseDemoConfig(options.env ?? process.env, options.appDir)
  const database = await openDemoDatabase(config.databasePath)
  try {
    const users = new UserRepository(database)
    await seedAccounts(users, {
      adminPassword: config.adminPassword,
      userPassword: config.userPassword,
      log,
    })
    const { secret } = await resolveSessionSecret(database, config.sessionSecret)
    const label = describeSessionStore(config.sessionStore, config.databasePath)
    const sessionStore = await openSessionStore({
      spec: config.sessionStore,
      database,
      table: config.sessionTable,
      prefix: config.sessionPrefix,
      label,
    })
    const sessionOptions: SessionOptions = {
      secret,
      store: sessionStore.store,
      idleTimeout: config.idleTimeoutMs,
      absoluteTimeout: config.absoluteTimeoutMs,
    }
    let closed: Promise<void> | undefined
    return {
      config,
      database,
      users,
      sessionStore,
      sessionOptions,
      storeLabel: label,
      footer: {
        framework: options.framework,
        idleTimeoutMs: config.idleTimeoutMs,
        absoluteTimeoutMs: config.absoluteTimeoutMs,
        store: describeSessionStore(config.sessionStore, config.databasePath, { short: true }),
      },
      close() {
        closed ??= sessionStore.close().finally(() => database.destroy())
        return closed
      },
    }
  } catch (error) {
    await database.destroy()
    throw error
  }
}
