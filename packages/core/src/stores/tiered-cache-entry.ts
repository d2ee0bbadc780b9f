import type { StoredSession } from './session-store.js'

/**
 * How {@link TieredStore} lays its records out in the cache. The cache is an ordinary
 * {@link SessionStore}, so everything there is a record, of one of three kinds:
 *
 * - a copy of a session (payload `s<expiresAt>:<payload>`, the session's version): its own
 *   `expiresAt` is capped by `cacheTtl`, so the session's real expiry travels in the payload;
 * - a fence (payload `f`, version {@link FENCE_VERSION}) on a destroyed or doubtful key:
 *   nothing is cached there until it expires, so no copy from before can come back;
 * - a lease (payload `l`, a random version of its own) that a read which missed puts down
 *   before it asks the primary: its refill replaces exactly that lease, and fails if a write,
 *   a destroy or an eviction came in between.
 *
 * Fence and lease versions are at least 2^52; the engine's versions start at 1 and grow by
 * one per write, so a conditional write expecting a real version never matches them.
 */
export type CacheEntry =
  | { kind: 'session'; record: StoredSession }
  | { kind: 'fence' }
  | { kind: 'lease' }
  /** Not written by a TieredStore (another app's data under the same keys): never served. */
  | { kind: 'foreign' }

export const FENCE_VERSION = Number.MAX_SAFE_INTEGER
const LEASE_VERSIONS_FROM = 2 ** 52

const SESSION_TAG = 's'
const FENCE_PAYLOAD = 'f'
const LEASE_PAYLOAD = 'l'

/** The cache record holding a copy of `record`, dropped by the cache at `cacheExpiresAt` at the latest. */
export function cachedCopy(record: StoredSession, cacheExpiresAt: number): StoredSession {
  return {
    payload: `${SESSION_TAG}${record.expiresAt}:${record.payload}`,
    version: record.version,
    expiresAt: Math.min(record.expiresAt, cacheExpiresAt),
    userId: record.userId ?? null,
  }
}

/** The cache record that marks a key as uncacheable until `expiresAt`. */
export function fence(expiresAt: number): StoredSession {
  return { payload: FENCE_PAYLOAD, version: FENCE_VERSION, expiresAt, userId: null }
}

/** A lease no other lease shares (random among 2^52 versions), held until `expiresAt`. */
export function lease(expiresAt: number): StoredSession {
  const version = LEASE_VERSIONS_FROM + Math.floor(Math.random() * (LEASE_VERSIONS_FROM - 2))
  return { payload: LEASE_PAYLOAD, version, expiresAt, userId: null }
}

/** What a cache record holds; a session copy is returned as a new object. */
export function readCacheRecord(cached: StoredSession): CacheEntry {
  const { payload, version } = cached
  if (payload === FENCE_PAYLOAD && version === FENCE_VERSION) return { kind: 'fence' }
  if (payload === LEASE_PAYLOAD && version >= LEASE_VERSIONS_FROM) return { kind: 'lease' }
  if (!payload.startsWith(SESSION_TAG)) return { kind: 'foreign' }
  const colon = payload.indexOf(':')
  const expiresAt = colon > 1 ? Number(payload.slice(1, colon)) : Number.NaN
  if (!Number.isFinite(expiresAt)) return { kind: 'foreign' }
  return {
    kind: 'session',
    record: {
      payload: payload.slice(colon + 1),
      version,
      expiresAt,
      userId: cached.userId ?? null,
    },
  }
}
