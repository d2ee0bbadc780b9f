import { SessionFeatureUnsupportedError, type StoreOperation } from '../errors.js'
import type { ResolvedSessionOptions } from '../options/resolved-session-options.js'
import type { ActiveSession } from '../session/session.js'
import type { KeyedStoredSession, SessionStore } from '../stores/session-store.js'
import type { SessionEvents } from './session-events.js'
import type { PayloadCodec } from './session-payload.js'

type StoreCall = <T>(operation: StoreOperation, run: () => Promise<T>) => Promise<T>
type Emit = <E extends keyof SessionEvents>(event: E, payload: SessionEvents[E]) => void

/**
 * The per-user index: a user's sessions listed, revoked one by one or all at once, and
 * `maxSessionsPerUser` enforced at login. Needs a store with `listByUser`.
 */
export class UserSessions {
  constructor(
    private readonly options: Readonly<ResolvedSessionOptions>,
    private readonly codec: PayloadCodec,
    private readonly storeCall: StoreCall,
    private readonly emit: Emit,
  ) {}

  /**
   * Throws `SessionFeatureUnsupportedError` (501) when the store cannot list a user's
   * sessions (CookieStore, or a store without `listByUser`): checked first, so the error
   * says what is missing before anything else is.
   */
  assertSupported(feature: string): void {
    this.requireListing(feature)
  }

  private requireListing(feature: string): NonNullable<SessionStore['listByUser']> {
    const store = this.options.store
    if (this.options.cookieSealKeys !== null) {
      throw new SessionFeatureUnsupportedError(
        feature,
        'CookieStore keeps each session only in its cookie, so there is no server-side index to list, revoke or count sessions. Use a server store (MemoryStore, @tessera/redis, @tessera/kysely) for per-user features.',
      )
    }
    if (typeof store.listByUser !== 'function') {
      throw new SessionFeatureUnsupportedError(
        feature,
        'the configured store has no per-user index (listByUser). Use a store that has one, such as @tessera/redis, @tessera/kysely or MemoryStore.',
      )
    }
    return store.listByUser.bind(store)
  }

  private async liveRecords(userId: string, feature: string): Promise<KeyedStoredSession[]> {
    const listByUser = this.requireListing(feature)
    const now = this.options.now()
    const records = await this.storeCall('listByUser', () => listByUser(userId))
    return records.filter((record) => record.expiresAt > now && record.userId === userId)
  }

  /** A user's live sessions, least recently used first. */
  async list(userId: string, currentHandle: string | null = null): Promise<ActiveSession[]> {
    const records = await this.liveRecords(userId, 'Listing sessions')
    const sessions: ActiveSession[] = []
    for (const record of records) {
      const decoded = await this.codec.decode(record.payload, record.key)
      if (typeof decoded === 'string') continue
      const createdAt = decoded.meta.c
      sessions.push({
        handle: record.key,
        createdAt,
        lastSeenAt: Math.max(
          createdAt,
          record.expiresAt - (decoded.meta.l?.i ?? this.options.idleTimeoutMs),
        ),
        expiresAt: record.expiresAt,
        userAgent: decoded.meta.a ?? null,
        ip: decoded.meta.p ?? null,
        lastIp: decoded.meta.q ?? decoded.meta.p ?? null,
        current: record.key === currentHandle,
      })
    }
    return sessions.sort((a, b) => a.lastSeenAt - b.lastSeenAt)
  }

  /** Revokes one session of `userId` by handle; false when it is not one of theirs. */
  async revoke(userId: string, handle: string): Promise<boolean> {
    const records = await this.liveRecords(userId, 'Revoking a session')
    if (!records.some((record) => record.key === handle)) return false
    await this.storeCall('destroy', () => this.options.store.destroy(handle))
    this.emit('destroyed', { key: handle, userId, reason: 'revoked' })
    return true
  }

  /** Revokes all of a user's sessions, but `exceptHandle`; returns how many. */
  async revokeAll(userId: string, exceptHandle: string | null = null): Promise<number> {
    const store = this.options.store
    const except = exceptHandle ?? undefined
    if (typeof store.destroyByUser === 'function' && this.options.cookieSealKeys === null) {
      const destroyByUser = store.destroyByUser.bind(store)
      const count = await this.storeCall('destroyByUser', () => destroyByUser(userId, except))
      this.emit('destroyed', { key: '*', userId, reason: 'revoked' })
      return count
    }
    const records = await this.liveRecords(userId, 'Revoking sessions')
    let count = 0
    for (const record of records) {
      if (record.key === except) continue
      await this.storeCall('destroy', () => store.destroy(record.key))
      this.emit('destroyed', { key: record.key, userId, reason: 'revoked' })
      count++
    }
    return count
  }

  /**
   * Evicts the least recently used sessions of `userId` beyond `maxSessionsPerUser`; returns
   * false when `currentKey` itself is gone (evicted, here or by a concurrent login).
   *
   * Every login ranks the user's sessions the same way (most recently used first, ties by
   * key) and keeps the first `max`, its own session included only if it ranks there. So
   * concurrent logins agree on which sessions stay: whichever lists last sees them all, and
   * no login evicts a session another would keep. Exactly `max` remain; a login's session
   * goes only when `max` sessions used more recently exist.
   */
  async enforceLimit(userId: string, currentKey: string): Promise<boolean> {
    const max = this.options.maxSessionsPerUser
    if (max === null) return true
    const records = await this.liveRecords(userId, 'maxSessionsPerUser')
    let keptCurrent = records.some((record) => record.key === currentKey)
    if (records.length <= max) return keptCurrent
    records.sort(
      (a, b) => b.expiresAt - a.expiresAt || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0),
    )
    for (const record of records.slice(max)) {
      await this.storeCall('destroy', () => this.options.store.destroy(record.key))
      this.emit('destroyed', { key: record.key, userId, reason: 'evicted' })
      if (record.key === currentKey) keptCurrent = false
    }
    return keptCurrent
  }
}
