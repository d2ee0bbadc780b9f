import { type Duration, parseDuration, SessionConfigError } from '@tessera/core'
import type {
  ExpressSessionStore,
  ImportExpressSessionsOptions,
  LegacyCookieOptions,
} from './import-express-sessions-options.js'

/** {@link ImportExpressSessionsOptions} after validation and defaults. */
export interface ImportConfig {
  secrets: readonly string[]
  name: string
  store: ExpressSessionStore
  cookie: Required<Pick<LegacyCookieOptions, 'path' | 'sameSite' | 'partitioned' | 'secure'>> &
    Pick<LegacyCookieOptions, 'domain'>
  lifetime: ImportExpressSessionsOptions['lifetime']
  /** `undefined`: the engine's `storeTimeout`. */
  storeTimeoutMs: number | undefined
  shareWindowMs: number
  onError: ImportExpressSessionsOptions['onError']
  onEvent: ImportExpressSessionsOptions['onEvent']
}

const KNOWN = [
  'secret',
  'name',
  'store',
  'cookie',
  'lifetime',
  'storeTimeout',
  'shareWindow',
  'onError',
  'onEvent',
]
const KNOWN_COOKIE = ['path', 'domain', 'secure', 'sameSite', 'partitioned']
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const STORES =
  "the express-session store instance your app used (connect-redis's RedisStore, connect-pg-simple's store, express-session's MemoryStore, ...)"

function fail(option: string, message: string): never {
  throw new SessionConfigError(`importExpressSessions.${option}`, message)
}

/** Validates the options at start-up; throws `SessionConfigError` saying what to pass. */
export function resolveImportConfig(options: ImportExpressSessionsOptions): ImportConfig {
  if (!options || typeof options !== 'object') {
    fail('options', 'pass { secret, store } with the secret and store express-session used.')
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) fail(key, `unknown option. Known options: ${KNOWN.join(', ')}.`)
  }
  const name = options.name ?? 'connect.sid'
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    fail('name', "expected express-session's cookie name (`name`, default 'connect.sid').")
  }
  return {
    secrets: secretsOf(options.secret),
    name,
    store: storeOf(options.store),
    cookie: cookieOf(options.cookie),
    lifetime: optionalFunction('lifetime', options.lifetime, '(legacy) => SessionLifetime | null'),
    storeTimeoutMs:
      options.storeTimeout === undefined
        ? undefined
        : parseDuration('importExpressSessions.storeTimeout', options.storeTimeout),
    shareWindowMs: windowOf(options.shareWindow),
    onError: optionalFunction('onError', options.onError, '(error, req) => void'),
    onEvent: optionalFunction('onEvent', options.onEvent, '(event, req) => void'),
  }
}

function secretsOf(secret: unknown): readonly string[] {
  const list = typeof secret === 'string' ? [secret] : secret
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((item) => typeof item === 'string' && item.length > 0)
  ) {
    fail(
      'secret',
      "pass express-session's `secret` as it was: the string, or the whole list (every one verifies).",
    )
  }
  return [...list]
}

function storeOf(store: unknown): ExpressSessionStore {
  if (typeof store !== 'object' || store === null) {
    fail('store', `pass ${STORES}.`)
  }
  const { get, destroy } = store as { get?: unknown; destroy?: unknown }
  if (typeof get !== 'function' || typeof destroy !== 'function') {
    fail('store', `expected callback methods get(sid, cb) and destroy(sid, cb); pass ${STORES}.`)
  }
  // Tessera's stores take `get(key)` and return a promise: the callback would never run.
  if (get.length === 1) {
    fail(
      'store',
      `its get() takes one argument, as Tessera's stores do (promise API); the importer calls get(sid, callback). Pass ${STORES}.`,
    )
  }
  return store as ExpressSessionStore
}

function cookieOf(cookie: LegacyCookieOptions | undefined): ImportConfig['cookie'] {
  if (cookie === undefined)
    return { path: '/', sameSite: 'lax', partitioned: false, secure: 'auto' }
  if (typeof cookie !== 'object' || cookie === null) {
    fail('cookie', 'expected { path?, domain?, secure?, sameSite?, partitioned? }.')
  }
  for (const key of Object.keys(cookie)) {
    if (!KNOWN_COOKIE.includes(key)) {
      fail(`cookie.${key}`, `unknown option. Known options: ${KNOWN_COOKIE.join(', ')}.`)
    }
  }
  const { path = '/', domain, secure = 'auto', sameSite = 'lax', partitioned = false } = cookie
  if (typeof path !== 'string' || !path.startsWith('/') || /[;\s]/.test(path)) {
    fail('cookie.path', "expected express-session's cookie.path, e.g. '/'.")
  }
  if (domain !== undefined && (typeof domain !== 'string' || /[;\s]/.test(domain) || !domain)) {
    fail('cookie.domain', "expected express-session's cookie.domain, e.g. 'example.com'.")
  }
  if (secure !== true && secure !== false && secure !== 'auto') {
    fail('cookie.secure', "expected true, false or 'auto'.")
  }
  if (sameSite !== 'strict' && sameSite !== 'lax' && sameSite !== 'none') {
    fail('cookie.sameSite', "expected 'strict', 'lax' or 'none'.")
  }
  if (typeof partitioned !== 'boolean') fail('cookie.partitioned', 'expected true or false.')
  return domain === undefined
    ? { path, sameSite, partitioned, secure }
    : { path, domain, sameSite, partitioned, secure }
}

function windowOf(value: Duration | undefined): number {
  if (value === undefined) return 10_000
  if (value === 0) return 0
  return parseDuration('importExpressSessions.shareWindow', value)
}

function optionalFunction<T>(option: string, value: T, shape: string): T {
  if (value !== undefined && typeof value !== 'function')
    fail(option, `expected a function ${shape}.`)
  return value
}
