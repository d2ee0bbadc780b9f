import { basename, isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DemoConfigError } from './demo-config-error.js'

/** Which session store `SESSION_STORE` asks for, parsed but not opened. */
export type SessionStoreSpec =
  | { kind: 'sqlite' }
  | { kind: 'memory' }
  | { kind: 'cookie' }
  | { kind: 'redis'; url: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'mysql'; url: string }
  | { kind: 'mongodb'; url: string }
  | { kind: 'file'; dir: string }

/** Every form `SESSION_STORE` accepts, with what it selects (the error message lists them). */
export const SESSION_STORE_FORMS: ReadonlyArray<readonly [form: string, meaning: string]> = [
  ['(unset) or sqlite:', 'SQLite, in the DATABASE_PATH file next to the users (the default)'],
  ['redis://host:6379[/db] or rediss://…', 'Redis, through @tessera/redis'],
  ['postgres://user@host:5432/db or postgresql://…', 'PostgreSQL, through @tessera/kysely'],
  ['mysql://user@host:3306/db', 'MySQL or MariaDB, through @tessera/kysely'],
  ['mongodb://host:27017/db or mongodb+srv://…', 'MongoDB, through @tessera/mongodb'],
  ['file:./sessions', 'one file per session in that folder, through @tessera/file'],
  ['memory:', 'MemoryStore: this process only, emptied by a restart'],
  ['cookie:', 'CookieStore: the whole session sealed in the cookie, no server state'],
]

const URL_SCHEMES: Readonly<Record<string, 'redis' | 'postgres' | 'mysql' | 'mongodb'>> = {
  'redis:': 'redis',
  'rediss:': 'redis',
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mongodb:': 'mongodb',
  'mongodb+srv:': 'mongodb',
}

/**
 * Parses `SESSION_STORE`. A relative `file:` folder is resolved against `baseDir` (the app
 * folder). Anything else fails with a {@link DemoConfigError} that lists the accepted forms.
 *
 * @example
 * ```ts
 * parseSessionStore('redis://127.0.0.1:6379', appDir) // { kind: 'redis', url: 'redis://127.0.0.1:6379' }
 * parseSessionStore(undefined, appDir) // { kind: 'sqlite' }
 * ```
 */
export function parseSessionStore(value: string | undefined, baseDir: string): SessionStoreSpec {
  const text = value?.trim() ?? ''
  const lower = text.toLowerCase()
  if (text === '' || lower === 'sqlite:') return { kind: 'sqlite' }
  if (lower === 'memory:') return { kind: 'memory' }
  if (lower === 'cookie:') return { kind: 'cookie' }
  if (lower.startsWith('file:')) return { kind: 'file', dir: fileDir(text, baseDir) }
  const scheme = /^[a-z][a-z0-9+.-]*:/.exec(lower)?.[0]
  const kind = scheme ? URL_SCHEMES[scheme] : undefined
  if (!kind) throw invalid(text, 'is not a session store this demo knows.')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid(text, `is not a valid ${kind} URL.`)
  }
  if (url.hostname === '') throw invalid(text, `names no host; write it as ${example(kind)}.`)
  return { kind, url: text }
}

/**
 * A one-line description for the console and the page footer, with any password masked.
 * `short` names files by their base name only (the footer: no machine paths on the page).
 */
export function describeSessionStore(
  spec: SessionStoreSpec,
  databasePath: string,
  options: { short?: boolean } = {},
): string {
  const path = (full: string) => (options.short ? basename(full) : full)
  switch (spec.kind) {
    case 'sqlite':
      return `SQLite (${path(databasePath)})`
    case 'memory':
      return 'MemoryStore (this process only)'
    case 'cookie':
      return 'CookieStore (sealed in the cookie)'
    case 'file':
      return `files (${path(spec.dir)})`
    case 'redis':
      return `Redis (${maskPassword(spec.url)})`
    case 'postgres':
      return `PostgreSQL (${maskPassword(spec.url)})`
    case 'mysql':
      return `MySQL/MariaDB (${maskPassword(spec.url)})`
    case 'mongodb':
      return `MongoDB (${maskPassword(spec.url)})`
  }
}

/** `scheme://user:****@host…`: the URL with its password, if any, replaced. */
export function maskPassword(text: string): string {
  try {
    const url = new URL(text)
    if (url.password === '') return text
    url.password = '****'
    return url.toString()
  } catch {
    return text
  }
}

function fileDir(text: string, baseDir: string): string {
  let path: string
  if (/^file:\/\//i.test(text)) {
    try {
      path = fileURLToPath(text)
    } catch {
      throw invalid(text, 'is not a valid file: URL; write file:./sessions or file:/absolute/dir.')
    }
  } else {
    path = text.slice('file:'.length)
  }
  if (path.trim() === '') throw invalid(text, 'names no folder; write file:./sessions.')
  return isAbsolute(path) ? path : resolve(baseDir, path)
}

function example(kind: 'redis' | 'postgres' | 'mysql' | 'mongodb'): string {
  return {
    redis: 'redis://127.0.0.1:6379',
    postgres: 'postgres://user@127.0.0.1:5432/db',
    mysql: 'mysql://user@127.0.0.1:3306/db',
    mongodb: 'mongodb://127.0.0.1:27017/db',
  }[kind]
}

function invalid(value: string, problem: string): DemoConfigError {
  const forms = SESSION_STORE_FORMS.map(([form, meaning]) => `  ${form.padEnd(48)} ${meaning}`)
  return new DemoConfigError(
    'SESSION_STORE',
    value,
    `${problem} Accepted forms:\n${forms.join('\n')}`,
  )
}
