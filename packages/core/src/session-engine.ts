import { isBase64url } from './base64url.js'
import type { MaybePromise } from './crypto-provider.js'
import { SessionFeatureUnsupportedError, SessionStoreError, type StoreOperation } from './errors.js'
import { SessionEventEmitter } from './event-emitter.js'
import type { IncomingRequestInfo, RequestSession } from './request-session.js'
import { RequestSessionState } from './request-session-state.js'
import { type ResolvedSessionOptions, resolveSessionOptions } from './resolved-session-options.js'
import type { ActiveSession, SessionData } from './session.js'
import type { SessionEventListener, SessionEventName, SessionEvents } from './session-events.js'
import type { SessionOptions } from './session-options.js'
import { PayloadCodec } from './session-payload.js'
import type { KeyedStoredSession } from './session-store.js'
import { timingSafeEqual } from './timing-safe-equal.js'

/** A verified incoming id, and whether an old secret signed it (so it is re-issued). */
export interface VerifiedId {
  id: string
  signedByOldSecret: boolean
  /** The store key of `id`. */
  key: string
}

/** Recently verified signed ids; a hit skips the HMAC and the hash. Only valid values enter. */
const VERIFIED_CACHE_SIZE = 10_000

const ID_LENGTH = 43 // 32 random bytes, base64url
const SIGNED_LENGTH = ID_LENGTH + 1 + 43

/**
 * The framework-agnostic session engine. Adapters call {@link SessionEngine.start} per
 * request; apps use the rest for administration ("active sessions", revocation).
 */
export interface SessionEngine<Data extends object = SessionData> {
  readonly options: Readonly<ResolvedSessionOptions>
  /** Begins one request's session. Does no I/O; see {@link RequestSession}. */
  start(request: IncomingRequestInfo): RequestSession<Data>
  on<E extends SessionEventName>(event: E, listener: SessionEventListener<E>): () => void
  /** A user's live sessions, least recently used first. Needs a store with `listByUser`. */
  listUserSessions(userId: string, currentHandle?: string | null): Promise<ActiveSession[]>
  /** Revokes one session of `userId` by handle; false when it is not one of theirs. */
  revokeSession(userId: string, handle: string): Promise<boolean>
  /** Revokes all of a user's sessions, optionally but one; returns how many. */
  revokeUserSessions(userId: string, options?: { exceptHandle?: string | null }): Promise<number>
  /** Stops the store's own timers (it never closes a client you passed in). */
  close(): Promise<void>
}

/**
 * Creates the engine. Options are validated here: a mistake fails at start-up with a
 * {@link SessionConfigError} that names the option and says what to fix.
 */
export function createSessionEngine<Data extends object = SessionData>(
  options: SessionOptions,
): SessionEngine<Data> {
  return new TesseraEngine<Data>(resolveSessionOptions(options), options.on)
}

/** Engine internals shared with {@link RequestSessionState}. Not part of the public API. */
export class TesseraEngine<Data extends object = SessionData> implements SessionEngine<Data> {
  readonly codec: PayloadCodec
  readonly events = new SessionEventEmitter()
  private readonly verified = new Map<string, VerifiedId>()

  constructor(
    readonly options: ResolvedSessionOptions,
    listeners?: SessionOptions['on'],
  ) {
    this.codec = new PayloadCodec(options.serializer, options.crypto, options.encryptionKeys)
    if (listeners) {
      for (const [name, listener] of Object.entries(listeners)) {
        if (typeof listener === 'function') {
          this.events.on(
            name as SessionEventName,
            listener as SessionEventListener<SessionEventName>,
          )
        }
      }
    }
  }

  start(request: IncomingRequestInfo): RequestSession<Data> {
    return new RequestSessionState<Data>(this, request)
  }

  on<E extends SessionEventName>(event: E, listener: SessionEventListener<E>): () => void {
    return this.events.on(event, listener)
  }

  emit<E extends SessionEventName>(event: E, payload: SessionEvents[E]): void {
    this.events.emit(event, payload)
  }

  newId(): string {
    return this.options.crypto.randomToken(32)
  }

  /** `<id>.<HMAC of id under the newest secret>`. */
  sign(id: string): MaybePromise<string> {
    const signature = this.options.crypto.hmacSha256(this.options.secrets[0] as string, id)
    return typeof signature === 'string'
      ? `${id}.${signature}`
      : signature.then((s) => `${id}.${s}`)
  }

  /** True when `value` has the exact shape of a signed id; anything else is rejected unread. */
  isWellFormed(value: string): boolean {
    return (
      value.length === SIGNED_LENGTH &&
      value.charCodeAt(ID_LENGTH) === 46 &&
      isBase64url(value.slice(0, ID_LENGTH), ID_LENGTH) &&
      isBase64url(value.slice(ID_LENGTH + 1), 43)
    )
  }

  /** Checks the signature against every secret, newest first; null when none signed it. */
  async verify(value: string): Promise<VerifiedId | null> {
    const cached = this.verified.get(value)
    if (cached) return cached
    if (!this.isWellFormed(value)) return null
    const id = value.slice(0, ID_LENGTH)
    const signature = value.slice(ID_LENGTH + 1)
    const { secrets, crypto } = this.options
    for (let i = 0; i < secrets.length; i++) {
      const expected = await crypto.hmacSha256(secrets[i] as string, id)
      if (timingSafeEqual(expected, signature)) {
        const verified = { id, signedByOldSecret: i > 0, key: await this.storeKey(id) }
        // Cleared when full rather than trimmed one by one: deleting a Map's first key over
        // and over makes V8 skip ever more holes to find the next one.
        if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear()
        this.verified.set(value, verified)
        return verified
      }
    }
    return null
  }

  /** The store key of an id: SHA-256, base64url. A leaked store cannot be replayed as cookies. */
  storeKey(id: string): MaybePromise<string> {
    return this.options.crypto.sha256(id)
  }

  /**
   * Runs one store call under `storeTimeout`; any failure or timeout becomes a
   * {@link SessionStoreError}. A store that answers after the timeout is ignored.
   */
  storeCall<T>(operation: StoreOperation, run: () => Promise<T>): Promise<T> {
    let pending: Promise<T>
    try {
      pending = run()
    } catch (error) {
      return Promise.reject(new SessionStoreError(operation, { cause: error }))
    }
    const timeoutMs = this.options.storeTimeoutMs
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SessionStoreError(operation, { timeoutMs })),
        timeoutMs,
      )
      Promise.resolve(pending).then(
        (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(
            error instanceof SessionStoreError
              ? error
              : new SessionStoreError(operation, { cause: error }),
          )
        },
      )
    })
  }

  /** Why a session created at `createdAt`, stored until `expiresAt`, is dead now; null if live. */
  expiredReason(createdAt: number, expiresAt: number): 'idle' | 'absolute' | null {
    const now = this.options.now()
    const absolute = this.options.absoluteTimeoutMs
    if (absolute !== null && createdAt + absolute <= now) return 'absolute'
    return expiresAt <= now ? 'idle' : null
  }

  /** Milliseconds to when a record written now would expire. */
  expiryFor(createdAt: number, now: number): number {
    const idle = now + this.options.idleTimeoutMs
    const absolute = this.options.absoluteTimeoutMs
    return absolute === null ? idle : Math.min(idle, createdAt + absolute)
  }

  private requireListing(
    feature: string,
  ): NonNullable<ResolvedSessionOptions['store']['listByUser']> {
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

  private async liveUserRecords(userId: string, feature: string): Promise<KeyedStoredSession[]> {
    const listByUser = this.requireListing(feature)
    const now = this.options.now()
    const records = await this.storeCall('listByUser', () => listByUser(userId))
    return records.filter((record) => record.expiresAt > now && record.userId === userId)
  }

  async listUserSessions(
    userId: string,
    currentHandle: string | null = null,
  ): Promise<ActiveSession[]> {
    const records = await this.liveUserRecords(userId, 'Listing sessions')
    const sessions: ActiveSession[] = []
    for (const record of records) {
      const decoded = await this.codec.decode(record.payload, record.key)
      if (typeof decoded === 'string') continue
      const createdAt = decoded.meta.c
      sessions.push({
        handle: record.key,
        createdAt,
        lastSeenAt: Math.max(createdAt, record.expiresAt - this.options.idleTimeoutMs),
        expiresAt: record.expiresAt,
        userAgent: decoded.meta.a ?? null,
        current: record.key === currentHandle,
      })
    }
    return sessions.sort((a, b) => a.lastSeenAt - b.lastSeenAt)
  }

  async revokeSession(userId: string, handle: string): Promise<boolean> {
    const records = await this.liveUserRecords(userId, 'Revoking a session')
    if (!records.some((record) => record.key === handle)) return false
    await this.storeCall('destroy', () => this.options.store.destroy(handle))
    this.emit('destroyed', { key: handle, userId, reason: 'revoked' })
    return true
  }

  async revokeUserSessions(
    userId: string,
    options: { exceptHandle?: string | null } = {},
  ): Promise<number> {
    const store = this.options.store
    const except = options.exceptHandle ?? undefined
    if (typeof store.destroyByUser === 'function' && this.options.cookieSealKeys === null) {
      const destroyByUser = store.destroyByUser.bind(store)
      const count = await this.storeCall('destroyByUser', () => destroyByUser(userId, except))
      this.emit('destroyed', { key: '*', userId, reason: 'revoked' })
      return count
    }
    const records = await this.liveUserRecords(userId, 'Revoking sessions')
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
  async enforceSessionLimit(userId: string, currentKey: string): Promise<boolean> {
    const max = this.options.maxSessionsPerUser
    if (max === null) return true
    const records = await this.liveUserRecords(userId, 'maxSessionsPerUser')
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

  async close(): Promise<void> {
    await this.options.store.close?.()
  }
}
