import { type CookieAttributes, resolveCookieAttributes } from '../cookie/cookie.js'
import type { CryptoProvider } from '../crypto/crypto-provider.js'
import { defaultCryptoProvider } from '../crypto/default-crypto-provider.js'
import {
  leasesUnavailable,
  type ResolvedExclusiveOptions,
  resolveExclusiveOptions,
} from '../engine/exclusive-sections.js'
import { jsonSerializer, type SessionSerializer } from '../engine/session-serializer.js'
import { SessionConfigError } from '../errors.js'
import { callbackStoreHint } from '../stores/callback-store-hint.js'
import { isCookieStore } from '../stores/cookie-store.js'
import { MemoryStore } from '../stores/memory-store.js'
import type { SessionStore } from '../stores/session-store.js'
import { type ResolvedBindingOptions, resolveBindingOptions } from './binding-options.js'
import { parseDuration } from './duration.js'
import { type ResolvedRotationOptions, resolveRotationOptions } from './rotation-options.js'
import { type ResolvedLifetimeOptions, resolveLifetimeOptions } from './session-lifetime.js'
import type { SessionOptions } from './session-options.js'

/** Options after validation and defaults: what the engine runs on. */
export interface ResolvedSessionOptions {
  secrets: readonly string[]
  store: SessionStore
  /** Set when the session lives in the cookie ({@link CookieStore}): the keys that seal it. */
  cookieSealKeys: readonly string[] | null
  /** CookieStore's revocation list (`revocation.store`), or null. */
  cookieRevocationStore: SessionStore | null
  cookie: CookieAttributes
  idHeader: string | null
  idleTimeoutMs: number
  absoluteTimeoutMs: number | null
  /** Per-session lifetimes: their ceilings, and the remember-me lifetime. */
  lifetimes: ResolvedLifetimeOptions
  /** Re-send the cookie on every response of an existing session (express-session's `rolling`). */
  rolling: boolean
  /** Send `Clear-Site-Data: "cookies"` with a response that ends a session. */
  clearSiteData: boolean
  touchIntervalMs: number
  storeTimeoutMs: number
  maxSize: number
  maxCommitRetries: number
  maxSessionsPerUser: number | null
  /** Wait and lease times of `session.exclusive()`. */
  exclusive: ResolvedExclusiveOptions
  /** Id rotation, or null when off. */
  rotation: ResolvedRotationOptions | null
  trackIp: boolean
  binding: ResolvedBindingOptions
  encryptionKeys: readonly string[]
  serializer: SessionSerializer
  saveOnServerError: boolean
  crypto: CryptoProvider
  now: () => number
}

const KNOWN_OPTIONS = new Set<string>([
  'secret',
  'store',
  'cookie',
  'idFrom',
  'idleTimeout',
  'absoluteTimeout',
  'touchInterval',
  'storeTimeout',
  'maxSize',
  'maxCommitRetries',
  'maxSessionsPerUser',
  'exclusive',
  'rotation',
  'trackIp',
  'binding',
  'metrics',
  'encryption',
  'serializer',
  'saveOnServerError',
  'crypto',
  'now',
  'on',
  'rolling',
  'clearSiteData',
  'maxLifetime',
  'rememberMe',
])
const KNOWN_COOKIE_OPTIONS = new Set<string>([
  'name',
  'domain',
  'path',
  'secure',
  'httpOnly',
  'sameSite',
  'partitioned',
  'persistent',
  'priority',
])
const MIN_SECRET_LENGTH = 32
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/

/** Validates every option, fills defaults; throws {@link SessionConfigError} saying what to fix. */
export function resolveSessionOptions(
  options: SessionOptions,
  extraOptions: readonly string[] = [],
): ResolvedSessionOptions {
  if (!options || typeof options !== 'object') {
    throw new SessionConfigError('options', 'pass an options object with at least `secret`.')
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key) && !extraOptions.includes(key)) {
      throw new SessionConfigError(
        key,
        `unknown option. Known options: ${[...KNOWN_OPTIONS].join(', ')}.`,
      )
    }
  }

  const secrets = listOfSecrets('secret', options.secret, true)
  const encryptionKeys =
    options.encryption === undefined
      ? []
      : listOfSecrets('encryption.keys', options.encryption?.keys, true)

  let cookieSealKeys: string[] | null = null
  let cookieRevocationStore: SessionStore | null = null
  let store: SessionStore
  if (isCookieStore(options.store)) {
    cookieSealKeys = options.store.keys
      ? listOfSecrets('store.keys', options.store.keys, true)
      : (encryptionKeys.length > 0 ? encryptionKeys : secrets).map(
          (key) => `tessera-cookie-store:${key}`,
        )
    store = cookieOnlyStore
    cookieRevocationStore = options.store.revocationStore ?? null
    if (options.maxSessionsPerUser !== undefined) {
      throw new SessionConfigError(
        'maxSessionsPerUser',
        'is unavailable with CookieStore: it keeps no server state to count or evict sessions.',
      )
    }
  } else {
    store = options.store ?? new MemoryStore()
  }
  const legacyStoreHint = callbackStoreHint(store)
  if (legacyStoreHint !== undefined) throw new SessionConfigError('store', legacyStoreHint)
  for (const method of ['get', 'set', 'touch', 'destroy'] as const) {
    if (typeof store[method] !== 'function') {
      throw new SessionConfigError(
        'store',
        `the store has no \`${method}()\` method; pass an object implementing SessionStore.`,
      )
    }
  }

  if (
    options.cookie !== undefined &&
    (typeof options.cookie !== 'object' || options.cookie === null)
  ) {
    throw new SessionConfigError('cookie', 'expected an object of cookie attributes.')
  }
  for (const key of Object.keys(options.cookie ?? {})) {
    if (!KNOWN_COOKIE_OPTIONS.has(key)) {
      throw new SessionConfigError(
        `cookie.${key}`,
        `unknown cookie option. Known: ${[...KNOWN_COOKIE_OPTIONS].join(', ')}.`,
      )
    }
  }
  const cookie = resolveCookieAttributes(options.cookie)
  validateCookie(cookie)

  let idHeader: string | null = null
  if (options.idFrom !== undefined && options.idFrom !== 'cookie') {
    const header = typeof options.idFrom === 'object' ? options.idFrom?.header : undefined
    if (typeof header !== 'string' || !HEADER_NAME.test(header.toLowerCase())) {
      throw new SessionConfigError('idFrom', "expected 'cookie' or { header: 'x-session-id' }.")
    }
    idHeader = header.toLowerCase()
  }

  const idleTimeoutMs = parseDuration('idleTimeout', options.idleTimeout ?? '24h')
  const absoluteTimeoutMs =
    options.absoluteTimeout === false
      ? null
      : options.absoluteTimeout === undefined
        ? Math.max(604_800_000, idleTimeoutMs)
        : parseDuration('absoluteTimeout', options.absoluteTimeout)
  if (absoluteTimeoutMs !== null && absoluteTimeoutMs < idleTimeoutMs) {
    // The idle timeout could then never matter: almost certainly a mistake.
    throw new SessionConfigError(
      'absoluteTimeout',
      `is shorter than idleTimeout (${absoluteTimeoutMs} ms < ${idleTimeoutMs} ms); make it at least as long, or set absoluteTimeout: false.`,
    )
  }
  const touchIntervalMs =
    options.touchInterval === undefined
      ? Math.min(300_000, Math.floor(idleTimeoutMs / 2))
      : parseDuration('touchInterval', options.touchInterval)
  if (touchIntervalMs >= idleTimeoutMs) {
    throw new SessionConfigError(
      'touchInterval',
      `must be shorter than idleTimeout (${idleTimeoutMs} ms), or sessions would expire between touches.`,
    )
  }
  const storeTimeoutMs = parseDuration('storeTimeout', options.storeTimeout ?? '5s')

  const maxSize = options.maxSize ?? 524_288
  if (!Number.isInteger(maxSize) || maxSize < 64) {
    throw new SessionConfigError('maxSize', 'expected a whole number of bytes, at least 64.')
  }
  const maxCommitRetries = options.maxCommitRetries ?? 50
  if (!Number.isInteger(maxCommitRetries) || maxCommitRetries < 0) {
    throw new SessionConfigError('maxCommitRetries', 'expected a whole number, 0 or more.')
  }
  let maxSessionsPerUser: number | null = null
  if (options.maxSessionsPerUser !== undefined) {
    maxSessionsPerUser = options.maxSessionsPerUser
    if (!Number.isInteger(maxSessionsPerUser) || maxSessionsPerUser < 1) {
      throw new SessionConfigError('maxSessionsPerUser', 'expected a whole number, 1 or more.')
    }
    if (typeof store.listByUser !== 'function') {
      throw new SessionConfigError(
        'maxSessionsPerUser',
        'needs a store with listByUser(); this store has none.',
      )
    }
  }
  const exclusive = resolveExclusiveOptions(options.exclusive)
  if (options.exclusive !== undefined) {
    const reason = leasesUnavailable(store, cookieSealKeys)
    if (reason !== undefined) throw new SessionConfigError('exclusive', `is unavailable: ${reason}`)
  }
  const serializer = options.serializer ?? jsonSerializer
  if (typeof serializer.stringify !== 'function' || typeof serializer.parse !== 'function') {
    throw new SessionConfigError(
      'serializer',
      'expected { stringify(value): string, parse(text): unknown }.',
    )
  }
  const now = options.now ?? Date.now
  if (typeof now !== 'function')
    throw new SessionConfigError('now', 'expected a function returning ms since the epoch.')

  return {
    secrets,
    store,
    cookieSealKeys,
    cookieRevocationStore,
    cookie,
    idHeader,
    idleTimeoutMs,
    absoluteTimeoutMs,
    lifetimes: resolveLifetimeOptions(options, idleTimeoutMs, absoluteTimeoutMs),
    rolling: booleanOption('rolling', options.rolling),
    clearSiteData: booleanOption('clearSiteData', options.clearSiteData),
    touchIntervalMs,
    storeTimeoutMs,
    maxSize,
    maxCommitRetries,
    maxSessionsPerUser,
    exclusive,
    rotation: resolveRotationOptions(options.rotation, cookieSealKeys !== null),
    trackIp: booleanOption('trackIp', options.trackIp),
    binding: resolveBindingOptions(options.binding, options.trackIp === true),
    encryptionKeys,
    serializer,
    saveOnServerError: options.saveOnServerError ?? false,
    crypto: options.crypto ?? defaultCryptoProvider(),
    now,
  }
}

/** Stands in for a server store under CookieStore; the engine never calls it. */
const cookieOnlyStore: SessionStore = {
  get: unreachable,
  set: unreachable,
  touch: unreachable,
  destroy: unreachable,
}
function unreachable(): never {
  throw new Error('CookieStore keeps sessions in the cookie; no server store is called.')
}

function listOfSecrets(option: string, value: unknown, required: boolean): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? [...value] : null
  if (!list || (required && list.length === 0)) {
    throw new SessionConfigError(
      option,
      `is required: a string of at least ${MIN_SECRET_LENGTH} characters, or a list of them (newest first). Generate one with \`openssl rand -base64 48\`.`,
    )
  }
  list.forEach((secret, index) => {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new SessionConfigError(
        list.length > 1 ? `${option}[${index}]` : option,
        `must be a string of at least ${MIN_SECRET_LENGTH} characters (got ${typeof secret === 'string' ? `${secret.length}` : typeof secret}). Generate one with \`openssl rand -base64 48\`.`,
      )
    }
  })
  return list as string[]
}

/** Checks cookie attributes (the options, or a response's overrides); throws SessionConfigError. */
export function validateCookie(cookie: CookieAttributes): void {
  if (!COOKIE_NAME.test(cookie.name)) {
    throw new SessionConfigError(
      'cookie.name',
      `"${cookie.name}" is not a valid cookie name (RFC 6265 token characters only).`,
    )
  }
  if (!cookie.path.startsWith('/') || /[;\s]/.test(cookie.path)) {
    throw new SessionConfigError('cookie.path', 'must start with "/" and contain no ";" or spaces.')
  }
  if (
    cookie.domain !== undefined &&
    (typeof cookie.domain !== 'string' || !/^\.?[a-z0-9.-]+$/i.test(cookie.domain))
  ) {
    throw new SessionConfigError('cookie.domain', 'must be a host name such as "example.com".')
  }
  if (!['strict', 'lax', 'none'].includes(cookie.sameSite)) {
    throw new SessionConfigError('cookie.sameSite', "expected 'strict', 'lax' or 'none'.")
  }
  if (cookie.name.startsWith('__Host-')) {
    if (!cookie.secure)
      throw new SessionConfigError('cookie.secure', 'a __Host- cookie must be Secure.')
    if (cookie.path !== '/')
      throw new SessionConfigError('cookie.path', 'a __Host- cookie must have Path=/.')
    if (cookie.domain !== undefined)
      throw new SessionConfigError('cookie.domain', 'a __Host- cookie must not set Domain.')
  }
  if (cookie.name.startsWith('__Secure-') && !cookie.secure) {
    throw new SessionConfigError('cookie.secure', 'a __Secure- cookie must be Secure.')
  }
  if (cookie.sameSite === 'none' && !cookie.secure) {
    throw new SessionConfigError(
      'cookie.sameSite',
      'SameSite=None needs secure: true (browsers reject it otherwise).',
    )
  }
  if (cookie.priority !== undefined && !['low', 'medium', 'high'].includes(cookie.priority)) {
    throw new SessionConfigError('cookie.priority', "expected 'low', 'medium' or 'high'.")
  }
  if (cookie.partitioned && !cookie.secure) {
    throw new SessionConfigError('cookie.partitioned', 'a Partitioned cookie must be Secure.')
  }
}

function booleanOption(option: string, value: unknown): boolean {
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw new SessionConfigError(option, 'expected true or false.')
  return value
}
