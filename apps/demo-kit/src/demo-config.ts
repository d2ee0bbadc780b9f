import { isAbsolute, resolve } from 'node:path'
import { parseDuration } from '@tessera/core'
import { DemoConfigError } from './demo-config-error.js'
import { validatePassword } from './forms.js'
import { parseSessionStore, type SessionStoreSpec } from './session-store-spec.js'

/** The demo's settings, read from the environment by {@link parseDemoConfig}. */
export interface DemoConfig {
  /** `PORT`, default 3000 (0: any free port). */
  port: number
  /** `HOST`, default `127.0.0.1` (this machine only). */
  host: string
  /** `DATABASE_PATH`, default `demo.sqlite` in the app folder: users, and sessions by default. */
  databasePath: string
  /** `SESSION_STORE`. */
  sessionStore: SessionStoreSpec
  /** `SESSION_TABLE`: the SQL table (or MongoDB collection) of sessions. Default `tessera_sessions`. */
  sessionTable: string
  /** `SESSION_PREFIX`: the Redis key prefix. Default `tessera-demo:`. */
  sessionPrefix: string
  /** `SESSION_SECRET`, at least 32 characters; unset, one is generated and kept in the database. */
  sessionSecret: string | undefined
  /** `SESSION_IDLE_TIMEOUT`, default `30m`. */
  idleTimeoutMs: number
  /** `SESSION_ABSOLUTE_TIMEOUT`, default `8h`. */
  absoluteTimeoutMs: number
  /** `DEMO_ADMIN_PASSWORD`: the `admin` account's password (else a random one, printed once). */
  adminPassword: string | undefined
  /** `DEMO_USER_PASSWORD`: the `user` account's password (else a random one, printed once). */
  userPassword: string | undefined
}

/** The environment as the demo reads it. */
export type DemoEnv = Readonly<Record<string, string | undefined>>

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/**
 * Reads the demo's settings from `env`. Relative paths resolve against `appDir`. A value the
 * demo cannot use throws {@link DemoConfigError} naming the variable and what it accepts.
 *
 * @example
 * ```ts
 * const config = parseDemoConfig(process.env, appDir)
 * config.sessionStore // { kind: 'sqlite' } unless SESSION_STORE says otherwise
 * ```
 */
export function parseDemoConfig(env: DemoEnv, appDir: string): DemoConfig {
  const databasePath = nonEmpty(env.DATABASE_PATH) ?? 'demo.sqlite'
  const sessionTable = nonEmpty(env.SESSION_TABLE) ?? 'tessera_sessions'
  if (!TABLE_NAME.test(sessionTable)) {
    throw new DemoConfigError(
      'SESSION_TABLE',
      sessionTable,
      'is not a table name: use letters, digits and _ (not starting with a digit), at most 63.',
    )
  }
  const sessionSecret = nonEmpty(env.SESSION_SECRET)
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new DemoConfigError(
      'SESSION_SECRET',
      '…',
      `is ${sessionSecret.length} characters; use at least 32 (or leave it unset and the demo generates one).`,
    )
  }
  return {
    port: parsePort(env.PORT),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    databasePath: isAbsolute(databasePath) ? databasePath : resolve(appDir, databasePath),
    sessionStore: parseSessionStore(env.SESSION_STORE, appDir),
    sessionTable,
    sessionPrefix: nonEmpty(env.SESSION_PREFIX) ?? 'tessera-demo:',
    sessionSecret,
    idleTimeoutMs: duration('SESSION_IDLE_TIMEOUT', env.SESSION_IDLE_TIMEOUT, '30m'),
    absoluteTimeoutMs: duration('SESSION_ABSOLUTE_TIMEOUT', env.SESSION_ABSOLUTE_TIMEOUT, '8h'),
    adminPassword: seedPassword('DEMO_ADMIN_PASSWORD', env.DEMO_ADMIN_PASSWORD),
    userPassword: seedPassword('DEMO_USER_PASSWORD', env.DEMO_USER_PASSWORD),
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const text = value?.trim()
  return text ? text : undefined
}

function parsePort(value: string | undefined): number {
  const text = nonEmpty(value)
  if (text === undefined) return 3000
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new DemoConfigError('PORT', text, 'is not a port: use a whole number from 0 to 65535.')
  }
  return port
}

function duration(variable: string, value: string | undefined, fallback: string): number {
  const text = nonEmpty(value) ?? fallback
  try {
    return parseDuration(variable, text as `${number}m`)
  } catch {
    throw new DemoConfigError(
      variable,
      text,
      "is not a duration: use a number with a unit, such as '90s', '30m', '8h' or '7d'.",
    )
  }
}

function seedPassword(variable: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  const problem = validatePassword(value)
  if (problem) throw new DemoConfigError(variable, '…', `is not usable: ${problem}`)
  return value
}
