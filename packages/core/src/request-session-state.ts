import { isBase64urlAny } from './base64url.js'
import { readCookieValues, serializeCookie } from './cookie.js'
import {
  SessionConflictError,
  SessionNotLoadedError,
  SessionTooLargeError,
  SessionUnavailableError,
} from './errors.js'
import { getOwn, setOwn } from './own-property.js'
import type {
  CommitOptions,
  IncomingRequestInfo,
  RequestSession,
  ResponseHeaders,
} from './request-session.js'
import type { ActiveSession, Session } from './session.js'
import type { TesseraEngine } from './session-engine.js'
import type { SessionEvents } from './session-events.js'
import type { DecodedPayload, DecodeFailure, SessionMeta } from './session-payload.js'
import { timingSafeEqual } from './timing-safe-equal.js'

type Operation =
  | { kind: 'set'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'update'; fn: (current: unknown) => unknown }

/** A top-level value as it was before this request touched it. */
type Snapshot = typeof ABSENT | { serialized: string } | string | number | boolean | bigint | null
const ABSENT = Symbol('absent')

/** A stored session that is live and decodes. */
interface LiveSession extends DecodedPayload {
  version: number
  expiresAt: number
}
/** Why a key leads to no session. */
type NoSession = 'unknown-id' | DecodeFailure | 'idle' | 'absolute'

const MAX_USER_AGENT = 256
/** Browsers keep at most about 4096 bytes per cookie (name, value and attributes). */
export const COOKIE_SIZE_LIMIT = 4096
const encoder = new TextEncoder()

/**
 * One request's session: what the request presented, what was loaded, what changed, and the
 * commit that writes it back. Driven by an adapter through {@link RequestSession}; the route
 * sees it through {@link Session}.
 */
export class RequestSessionState<Data extends object> implements RequestSession<Data> {
  readonly session: Session<Data>
  readonly hasIncomingId: boolean
  loaded: boolean

  private readonly candidates: string[]
  private loadPromise: Promise<void> | null = null
  private committed = false

  private id: string | null = null
  private key: string | null = null
  /** Version and expiry of the stored record; null while nothing is stored for this session. */
  private record: { version: number; expiresAt: number } | null = null
  private meta: SessionMeta
  private data: Record<string, unknown> = {}

  private snapshots = new Map<string, Snapshot>()
  private operations = new Map<string, Operation[]>()
  private metaDirty = false
  private csrfCreated = false
  private flashAdded: Array<[string, unknown]> = []
  private flashTaken = new Map<string, number>()
  private forceTouch = false
  private touched = false

  private accessed = false
  private signedByOldSecret = false
  /** A new record was written (new id or regenerated), so the response carries the id. */
  private issuedId = false
  private previousKey: string | null = null
  private pendingLogin = false
  private staleKey: string | null = null
  /** CookieStore: the sealed session must be (re)written into the response cookie. */
  private sealPending = false
  private readonly sealed: boolean

  constructor(
    private readonly engine: TesseraEngine<Data>,
    private readonly request: IncomingRequestInfo,
  ) {
    const { idHeader, cookie } = engine.options
    const values = idHeader
      ? headerValues(request.header?.(idHeader))
      : readCookieValues(request.cookie, cookie.name)
    this.sealed = engine.options.cookieSealKeys !== null
    this.candidates = values.filter((value) =>
      this.sealed
        ? value.length <= COOKIE_SIZE_LIMIT && isBase64urlAny(value)
        : engine.isWellFormed(value),
    )
    this.hasIncomingId = values.length > 0
    this.loaded = this.candidates.length === 0
    this.meta = this.freshMeta()
    this.session = new SessionView<Data>(this)
  }

  // ---- loading -------------------------------------------------------------------------

  load(): Promise<void> {
    if (!this.loadPromise) {
      this.loadPromise = this.loaded ? Promise.resolve() : this.readIncoming()
    }
    return this.loadPromise
  }

  private async readIncoming(): Promise<void> {
    if (this.sealed) return this.readSealed()
    const engine = this.engine
    let verified = null
    for (const candidate of this.candidates) {
      verified = await engine.verify(candidate)
      if (verified) break
    }
    if (!verified) {
      engine.emit('invalid', { reason: 'bad-signature' })
      this.loaded = true
      return
    }
    const key = verified.key
    const live = await this.readStored(key)
    this.loaded = true
    if (typeof live === 'string') {
      if (live === 'idle' || live === 'absolute') engine.emit('expired', { key, reason: live })
      else engine.emit('invalid', { reason: live, key })
      // Strict mode: an id the store does not know is never adopted; a dead record goes.
      if (live !== 'unknown-id') this.staleKey = key
      return
    }
    this.id = verified.id
    this.key = key
    this.signedByOldSecret = verified.signedByOldSecret
    this.adopt(live)
  }

  /** The live session stored under `key`, or why there is none (expiry checked on read). */
  private async readStored(key: string): Promise<LiveSession | NoSession> {
    const engine = this.engine
    const store = engine.options.store
    const stored = await engine.storeCall('get', () => store.get(key))
    if (!stored) return 'unknown-id'
    const decoded = await engine.codec.decode(stored.payload, key)
    if (typeof decoded === 'string') return decoded
    const expired = engine.expiredReason(decoded.meta.c, stored.expiresAt)
    if (expired) return expired
    return { ...decoded, version: stored.version, expiresAt: stored.expiresAt }
  }

  private adopt(live: LiveSession): void {
    this.record = { version: live.version, expiresAt: live.expiresAt }
    this.meta = live.meta
    this.data = live.data
  }

  /** CookieStore: the session is the cookie, sealed under one of the keys. */
  private async readSealed(): Promise<void> {
    const engine = this.engine
    const keys = engine.options.cookieSealKeys as readonly string[]
    const aad = engine.options.idHeader ?? engine.options.cookie.name
    let plain: string | null = null
    let keyIndex = -1
    for (const candidate of this.candidates) {
      for (let i = 0; i < keys.length && plain === null; i++) {
        plain = await engine.options.crypto.open(keys[i] as string, candidate, aad)
        if (plain !== null) keyIndex = i
      }
      if (plain !== null) break
    }
    this.loaded = true
    if (plain === null) {
      engine.emit('invalid', { reason: 'undecryptable' })
      return
    }
    const decoded = engine.codec.decodePlain(plain)
    if (typeof decoded === 'string') {
      engine.emit('invalid', { reason: decoded })
      return
    }
    const { meta } = decoded
    if (typeof meta.i !== 'string' || typeof meta.e !== 'number') {
      engine.emit('invalid', { reason: 'corrupt-payload' })
      return
    }
    const expired = engine.expiredReason(meta.c, meta.e)
    if (expired) {
      engine.emit('expired', { key: meta.i, reason: expired })
      return
    }
    this.id = meta.i
    this.key = meta.i
    this.adopt({ ...decoded, version: 0, expiresAt: meta.e })
    // Re-seal under the newest key once an old key opened it.
    if (keyIndex > 0) this.sealPending = true
  }

  // ---- data access (through SessionView) -------------------------------------------------

  usable(): void {
    if (!this.loaded) throw new SessionNotLoadedError()
    this.accessed = true
  }

  private writable(): void {
    if (this.committed) {
      throw new SessionUnavailableError(
        'The session was already committed for this response; change it before the response is sent.',
      )
    }
    this.usable()
  }

  private track(key: string): void {
    if (this.snapshots.has(key)) return
    this.snapshots.set(key, this.snapshotOf(key))
  }

  private snapshotOf(key: string): Snapshot {
    if (!Object.hasOwn(this.data, key)) return ABSENT
    const value = this.data[key]
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      return value === undefined ? ABSENT : (value as Snapshot)
    }
    return { serialized: this.engine.codec.serializeValue(value, key) }
  }

  private recordOperation(key: string, operation: Operation): void {
    const list = this.operations.get(key)
    if (list) list.push(operation)
    else this.operations.set(key, [operation])
  }

  get(key: string): unknown {
    this.usable()
    this.track(key)
    return Object.hasOwn(this.data, key) ? this.data[key] : undefined
  }

  has(key: string): boolean {
    this.usable()
    this.track(key)
    return Object.hasOwn(this.data, key) && this.data[key] !== undefined
  }

  set(key: string, value: unknown): void {
    if (value === undefined) {
      this.delete(key)
      return
    }
    this.writable()
    this.track(key)
    setOwn(this.data, key, value)
    this.recordOperation(key, { kind: 'set', value })
  }

  delete(key: string): void {
    this.writable()
    this.track(key)
    delete this.data[key]
    this.recordOperation(key, { kind: 'delete' })
  }

  update(key: string, fn: (current: unknown) => unknown): unknown {
    this.writable()
    this.track(key)
    const value = fn(Object.hasOwn(this.data, key) ? this.data[key] : undefined)
    if (value === undefined) delete this.data[key]
    else setOwn(this.data, key, value)
    this.recordOperation(key, { kind: 'update', fn })
    return value
  }

  keys(): string[] {
    this.usable()
    return Object.keys(this.data)
  }

  all(): Record<string, unknown> {
    this.usable()
    for (const key of Object.keys(this.data)) this.track(key)
    return { ...this.data }
  }

  clear(): void {
    for (const key of Object.keys(this.data)) this.delete(key)
  }

  get sessionId(): string {
    this.usable()
    if (this.id === null) this.id = this.engine.newId()
    return this.id
  }

  get isNew(): boolean {
    return this.record === null
  }

  get userId(): string | null {
    return this.meta.u ?? null
  }

  get createdAt(): number {
    return this.meta.c
  }

  /** The store key of the current session (its handle), once it has one. */
  get handle(): string | null {
    return this.record ? this.key : null
  }

  flash(key: string, message: unknown): void {
    this.writable()
    if (!this.meta.f) this.meta.f = {}
    const flashes = this.meta.f
    const list = getOwn(flashes, key)
    if (list) list.push(message)
    else setOwn(flashes, key, [message])
    this.flashAdded.push([key, message])
    this.metaDirty = true
  }

  takeFlash(key: string): unknown[] {
    this.usable()
    const flashes = this.meta.f
    const list = flashes ? getOwn(flashes, key) : undefined
    if (!flashes || !list || list.length === 0) return []
    this.writable()
    delete flashes[key]
    if (Object.keys(flashes).length === 0) delete this.meta.f
    this.flashTaken.set(key, (this.flashTaken.get(key) ?? 0) + list.length)
    this.metaDirty = true
    return list
  }

  takeAllFlash(): Record<string, unknown[]> {
    this.usable()
    const all: Record<string, unknown[]> = {}
    for (const key of Object.keys(this.meta.f ?? {})) all[key] = this.takeFlash(key)
    return all
  }

  csrfToken(): string {
    this.usable()
    if (!this.meta.t) {
      this.writable()
      this.meta.t = this.engine.options.crypto.randomToken(32)
      this.csrfCreated = true
      this.metaDirty = true
    }
    return this.meta.t
  }

  verifyCsrfToken(token: string | null | undefined): boolean {
    this.usable()
    const expected = this.meta.t
    if (!expected || typeof token !== 'string') return false
    return timingSafeEqual(expected, token)
  }

  touch(): void {
    this.usable()
    this.forceTouch = true
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  // regenerate() and destroy() switch the in-memory state before awaiting the store, so a
  // write made while the returned promise is still pending lands on the new session.

  async regenerate(options: { keepData?: boolean } = {}): Promise<void> {
    this.writable()
    const oldKey = this.record ? this.key : null
    this.id = null
    this.key = null
    this.record = null
    if (options.keepData === false) {
      this.data = {}
      this.meta = this.freshMeta()
    } else {
      this.meta.c = this.engine.options.now()
      delete this.meta.i
      delete this.meta.e
    }
    this.resetChanges()
    if (oldKey) {
      this.previousKey = oldKey
      await this.destroyRecord(oldKey)
    }
  }

  async destroy(reason: SessionEvents['destroyed']['reason'] = 'destroy'): Promise<void> {
    this.writable()
    const oldKey = this.record ? this.key : null
    const userId = this.userId
    this.becomeEmpty()
    if (oldKey) {
      await this.destroyRecord(oldKey)
      this.engine.emit('destroyed', { key: oldKey, userId, reason })
    }
  }

  async login(userId: string): Promise<void> {
    if (typeof userId !== 'string' || userId.length === 0) {
      throw new TypeError('login(userId) needs a non-empty string user id.')
    }
    await this.regenerate()
    this.meta.u = userId
    this.metaDirty = true
    this.pendingLogin = true
  }

  async logout(): Promise<void> {
    await this.destroy('logout')
  }

  async reload(): Promise<void> {
    this.writable()
    if (this.sealed) {
      this.becomeEmpty()
      this.sealPending = false
      if (this.candidates.length > 0) await this.readSealed()
      return
    }
    if (!this.record || !this.key) {
      this.becomeEmpty()
      return
    }
    const live = await this.readStored(this.key)
    if (typeof live === 'string') {
      this.becomeEmpty()
      return
    }
    this.adopt(live)
    this.resetChanges()
  }

  async save(): Promise<void> {
    this.writable()
    await this.persist()
  }

  private async destroyRecord(key: string): Promise<void> {
    if (this.sealed) return
    const store = this.engine.options.store
    await this.engine.storeCall('destroy', () => store.destroy(key))
  }

  /** After destroy/logout: an empty new session; writes made later start a new one. */
  private becomeEmpty(): void {
    this.id = null
    this.key = null
    this.record = null
    this.data = {}
    this.meta = this.freshMeta()
    this.resetChanges()
  }

  private freshMeta(): SessionMeta {
    const meta: SessionMeta = { c: this.engine.options.now() }
    const agent = this.request.userAgent
    if (typeof agent === 'string' && agent.length > 0) meta.a = agent.slice(0, MAX_USER_AGENT)
    return meta
  }

  private resetChanges(): void {
    this.snapshots.clear()
    this.operations.clear()
    this.metaDirty = false
    this.csrfCreated = false
    this.flashAdded = []
    this.flashTaken.clear()
  }

  // ---- committing ----------------------------------------------------------------------------

  async commit(options: CommitOptions = {}): Promise<ResponseHeaders> {
    if (this.committed) return []
    const headers: ResponseHeaders = []
    const status = options.status ?? 200
    const { idHeader, saveOnServerError } = this.engine.options
    if (this.accessed || this.record) headers.push(['vary', idHeader ?? 'Cookie'])
    if (status >= 500 && !saveOnServerError) {
      // A failed response saves nothing; the next request sees the session as it was.
      this.committed = true
      return headers
    }
    if (options.canSetCookie === false && this.record === null) {
      // Nothing could carry a new id to the client: storing it would only leave garbage.
      this.committed = true
      return headers
    }
    if (this.loaded) await this.persist()
    this.committed = true
    await this.appendIdHeaders(headers)
    return headers
  }

  private hasContent(): boolean {
    for (const _ in this.data) return true
    const meta = this.meta
    if (meta.u || meta.t) return true
    if (meta.f) for (const _ in meta.f) return true
    return false
  }

  /** Writes what changed: create, conditional update with re-apply, touch, or delete. */
  private async persist(): Promise<void> {
    if (this.sealed) return this.persistSealed()
    const engine = this.engine
    if (this.staleKey) {
      const stale = this.staleKey
      this.staleKey = null
      await this.destroyRecord(stale)
    }
    if (this.record === null) {
      if (this.hasContent()) await this.create()
      return
    }
    const changed = this.changedKeys()
    if (changed.length === 0 && !this.metaDirty) {
      const now = engine.options.now()
      const expiresAt = engine.expiryFor(this.meta.c, now)
      if (this.touchDue(expiresAt)) {
        const key = this.key as string
        await engine.storeCall('touch', () => engine.options.store.touch(key, expiresAt))
        this.record.expiresAt = expiresAt
        this.touched = true
      }
      this.forceTouch = false
      return
    }
    if (!this.hasContent()) {
      const key = this.key as string
      await this.destroyRecord(key)
      engine.emit('destroyed', { key, userId: this.userId, reason: 'emptied' })
      this.becomeEmpty()
      return
    }
    await this.writeChanges(changed)
  }

  /** CookieStore: decide whether the response carries a new sealed cookie. */
  private persistSealed(): void {
    const engine = this.engine
    const now = engine.options.now()
    const expiresAt = engine.expiryFor(this.meta.c, now)
    if (!this.hasContent()) {
      if (this.record)
        engine.emit('destroyed', {
          key: this.key as string,
          userId: this.userId,
          reason: 'emptied',
        })
      this.becomeEmpty()
      this.sealPending = false
      return
    }
    const isNew = this.record === null
    const changed = isNew || this.metaDirty || this.changedKeys().length > 0
    const touchDue = !isNew && this.touchDue(expiresAt)
    if (!changed && !touchDue && !this.sealPending) return
    if (isNew) {
      if (this.id === null) this.id = engine.newId()
      this.key = this.id
      this.issuedId = true
      if (this.previousKey) {
        engine.emit('regenerated', {
          previousKey: this.previousKey,
          key: this.id,
          userId: this.userId,
        })
        this.previousKey = null
      } else engine.emit('created', { key: this.id, userId: this.userId })
    }
    this.meta.i = this.id as string
    this.meta.e = expiresAt
    this.record = { version: 0, expiresAt }
    this.sealPending = true
    this.forceTouch = false
    this.resetChanges()
  }

  /** Moving the expiry to `expiresAt` is due: forced, or `touchInterval` has passed. */
  private touchDue(expiresAt: number): boolean {
    const stored = (this.record as { expiresAt: number }).expiresAt
    return this.forceTouch || expiresAt - stored >= this.engine.options.touchIntervalMs
  }

  private changedKeys(): string[] {
    const changed: string[] = []
    const codec = this.engine.codec
    for (const [key, before] of this.snapshots) {
      const present = Object.hasOwn(this.data, key) && this.data[key] !== undefined
      const value = present ? this.data[key] : undefined
      let same: boolean
      if (before === ABSENT) same = !present
      else if (typeof before === 'object' && before !== null) {
        same =
          present &&
          typeof value === 'object' &&
          value !== null &&
          codec.serializeValue(value, key) === before.serialized
      } else same = present && Object.is(value, before)
      if (!same) changed.push(key)
    }
    return changed
  }

  private async create(): Promise<void> {
    const engine = this.engine
    const store = engine.options.store
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.id === null || attempt > 0) this.id = engine.newId()
      const id = this.id
      const key = await engine.storeKey(id)
      const now = engine.options.now()
      const expiresAt = engine.expiryFor(this.meta.c, now)
      const payload = await this.encode(key)
      const record = { payload, version: 1, expiresAt, userId: this.userId }
      // Create-only: a (practically impossible) id collision must never take over a session.
      const created = await engine.storeCall('set', () => store.set(key, record, null))
      if (!created) continue
      this.key = key
      this.record = { version: 1, expiresAt }
      this.issuedId = true
      if (this.previousKey) {
        engine.emit('regenerated', { previousKey: this.previousKey, key, userId: this.userId })
        this.previousKey = null
      } else {
        engine.emit('created', { key, userId: this.userId })
      }
      this.resetChanges()
      if (this.pendingLogin && this.userId) {
        this.pendingLogin = false
        // Over the limit with `max` more recently used sessions: this one was evicted.
        if (!(await engine.enforceSessionLimit(this.userId, key))) this.becomeEmpty()
      }
      return
    }
    throw new SessionConflictError(3)
  }

  /**
   * Conditional write. On conflict: re-read, re-apply only this request's changes (keys set
   * or deleted, `update` functions replayed on the fresh value), try again; a record that is
   * gone stays gone.
   */
  private async writeChanges(changed: string[]): Promise<void> {
    const engine = this.engine
    const store = engine.options.store
    const key = this.key as string
    const maxRetries = engine.options.maxCommitRetries
    const stored = this.record as { version: number; expiresAt: number }
    let expected = stored.version
    let storedExpiresAt = stored.expiresAt
    for (let attempt = 0; ; attempt++) {
      // A write moves the expiry only when a touch would (forced, or touchInterval passed),
      // and every move re-issues a cookie whose Max-Age follows the idle timeout: so the
      // cookie never expires before the record while the user is active.
      const due = engine.expiryFor(this.meta.c, engine.options.now())
      const moves = this.forceTouch || due - storedExpiresAt >= engine.options.touchIntervalMs
      const expiresAt = moves ? due : storedExpiresAt
      const payload = await this.encode(key)
      const record = { payload, version: expected + 1, expiresAt, userId: this.userId }
      const written = await engine.storeCall('set', () => store.set(key, record, expected))
      if (written) {
        this.record = { version: expected + 1, expiresAt }
        if (moves) this.touched = true
        this.forceTouch = false
        this.resetChanges()
        return
      }
      engine.emit('conflict', { key, attempt: attempt + 1 })
      if (attempt >= maxRetries) throw new SessionConflictError(attempt + 1)
      await backoff(attempt)
      const fresh = await this.readStored(key)
      if (typeof fresh === 'string') {
        // Destroyed, revoked or expired meanwhile: drop this request's changes, never resurrect.
        this.becomeEmpty()
        return
      }
      this.data = this.reapply(fresh.data, changed)
      this.meta = this.reapplyMeta(fresh.meta)
      expected = fresh.version
      storedExpiresAt = fresh.expiresAt
    }
  }

  private reapply(fresh: Record<string, unknown>, changed: string[]): Record<string, unknown> {
    for (const key of changed) {
      const operations = this.operations.get(key)
      if (operations?.some((operation) => operation.kind === 'update')) {
        let value: unknown = Object.hasOwn(fresh, key) ? fresh[key] : undefined
        for (const operation of operations) {
          if (operation.kind === 'set') value = operation.value
          else if (operation.kind === 'delete') value = undefined
          else value = operation.fn(value)
        }
        if (value === undefined) delete fresh[key]
        else setOwn(fresh, key, value)
      } else if (Object.hasOwn(this.data, key) && this.data[key] !== undefined) {
        setOwn(fresh, key, this.data[key])
      } else {
        delete fresh[key]
      }
    }
    return fresh
  }

  private reapplyMeta(fresh: SessionMeta): SessionMeta {
    if (this.csrfCreated && this.meta.t) fresh.t = this.meta.t
    if (this.flashTaken.size > 0 || this.flashAdded.length > 0) {
      if (!fresh.f) fresh.f = {}
      const flashes = fresh.f
      for (const [key, count] of this.flashTaken) {
        const list = getOwn(flashes, key)
        if (list) {
          list.splice(0, count)
          if (list.length === 0) delete flashes[key]
        }
      }
      for (const [key, message] of this.flashAdded) {
        const list = getOwn(flashes, key)
        if (list) list.push(message)
        else setOwn(flashes, key, [message])
      }
      if (Object.keys(flashes).length === 0) delete fresh.f
    }
    return fresh
  }

  private async encode(key: string): Promise<string> {
    const payload = await this.engine.codec.encode(this.meta, this.data, key)
    const limit = this.engine.options.maxSize
    // Each UTF-16 unit is at most 3 UTF-8 bytes: short payloads skip the exact count.
    if (payload.length * 3 > limit) {
      const size = encoder.encode(payload).length
      if (size > limit) throw new SessionTooLargeError(size, limit)
    }
    return payload
  }

  /**
   * The id (or, under CookieStore, the sealed session) the response must carry: a new or
   * regenerated id, a re-signature after secret rotation, a touch of a cookie whose Max-Age
   * follows the idle timeout; or a deletion when the presented id leads nowhere.
   */
  private async appendIdHeaders(headers: ResponseHeaders): Promise<void> {
    const engine = this.engine
    const { idHeader, cookie, cookieFollowsIdle } = engine.options
    let value: string | null = null
    if (this.sealed) {
      if (this.sealPending && this.record) {
        const keys = engine.options.cookieSealKeys as readonly string[]
        const plain = engine.codec.encodePlain(this.meta, this.data)
        value = await engine.options.crypto.seal(keys[0] as string, plain, idHeader ?? cookie.name)
      }
    } else if (
      this.record !== null &&
      (this.issuedId || this.signedByOldSecret || (this.touched && cookieFollowsIdle))
    ) {
      value = await engine.sign(this.id as string)
    }
    if (value !== null) {
      if (idHeader) headers.push([idHeader, value])
      else headers.push(['set-cookie', this.setCookie(value)])
      headers.push(['cache-control', 'no-store'])
    } else if (this.record === null && this.hasIncomingId) {
      // The presented id leads nowhere (invalid, unknown, expired, destroyed): drop it.
      if (idHeader) headers.push([idHeader, ''])
      else headers.push(['set-cookie', serializeCookie(cookie, '', 0)])
      headers.push(['cache-control', 'no-store'])
    }
  }

  private setCookie(value: string): string {
    const { cookie, absoluteTimeoutMs, idleTimeoutMs } = this.engine.options
    const maxAge = cookie.persistent
      ? absoluteTimeoutMs === null
        ? idleTimeoutMs
        : this.meta.c + absoluteTimeoutMs - this.engine.options.now()
      : undefined
    const setCookie = serializeCookie(cookie, value, maxAge)
    if (this.sealed && setCookie.length > COOKIE_SIZE_LIMIT) {
      throw new SessionTooLargeError(
        setCookie.length,
        COOKIE_SIZE_LIMIT,
        'the 4096-byte cookie limit of browsers (CookieStore keeps the whole session in the cookie)',
      )
    }
    return setCookie
  }

  // ---- per-user --------------------------------------------------------------------------------

  private signedInUser(feature: string): string {
    const userId = this.userId
    if (!userId)
      throw new SessionUnavailableError(
        `${feature} needs a signed-in session; call login(userId) first.`,
      )
    return userId
  }

  async listSessions(): Promise<ActiveSession[]> {
    this.usable()
    return this.engine.listUserSessions(this.signedInUser('listSessions()'), this.handle)
  }

  async revokeSession(handle: string): Promise<boolean> {
    this.usable()
    const revoked = await this.engine.revokeSession(this.signedInUser('revokeSession()'), handle)
    if (revoked && handle === this.handle) this.becomeEmpty()
    return revoked
  }

  async revokeOtherSessions(): Promise<number> {
    this.usable()
    return this.engine.revokeUserSessions(this.signedInUser('revokeOtherSessions()'), {
      exceptHandle: this.handle,
    })
  }

  async revokeAllSessions(): Promise<number> {
    this.usable()
    const count = await this.engine.revokeUserSessions(this.signedInUser('revokeAllSessions()'))
    this.becomeEmpty()
    return count
  }
}

/** Jittered exponential backoff between commit attempts, so racing writers spread out. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(50, 2 ** Math.min(attempt, 6))
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling))
}

function headerValues(value: string | null | undefined): string[] {
  if (typeof value !== 'string' || value.length === 0) return []
  return [value.trim()]
}

/** The route-facing {@link Session}: a thin view over the request's state. */
class SessionView<Data extends object> implements Session<Data> {
  constructor(private readonly state: RequestSessionState<Data>) {}
  get id(): string {
    return this.state.sessionId
  }
  get isNew(): boolean {
    return this.state.isNew
  }
  get userId(): string | null {
    return this.state.userId
  }
  get createdAt(): number {
    return this.state.createdAt
  }
  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    return this.state.get(key) as Data[K] | undefined
  }
  set<K extends keyof Data & string>(key: K, value: Data[K]): void {
    this.state.set(key, value)
  }
  delete<K extends keyof Data & string>(key: K): void {
    this.state.delete(key)
  }
  has<K extends keyof Data & string>(key: K): boolean {
    return this.state.has(key)
  }
  update<K extends keyof Data & string>(
    key: K,
    fn: (current: Data[K] | undefined) => Data[K],
  ): Data[K] {
    return this.state.update(key, fn as (current: unknown) => unknown) as Data[K]
  }
  all(): Partial<Data> {
    return this.state.all() as Partial<Data>
  }
  keys(): Array<keyof Data & string> {
    return this.state.keys() as Array<keyof Data & string>
  }
  clear(): void {
    this.state.clear()
  }
  regenerate(options?: { keepData?: boolean }): Promise<void> {
    return this.state.regenerate(options)
  }
  destroy(): Promise<void> {
    return this.state.destroy()
  }
  login(userId: string): Promise<void> {
    return this.state.login(userId)
  }
  logout(): Promise<void> {
    return this.state.logout()
  }
  reload(): Promise<void> {
    return this.state.reload()
  }
  save(): Promise<void> {
    return this.state.save()
  }
  touch(): void {
    this.state.touch()
  }
  flash(key: string, message: unknown): void {
    this.state.flash(key, message)
  }
  takeFlash(key: string): unknown[] {
    return this.state.takeFlash(key)
  }
  takeAllFlash(): Record<string, unknown[]> {
    return this.state.takeAllFlash()
  }
  csrfToken(): string {
    return this.state.csrfToken()
  }
  verifyCsrfToken(token: string | null | undefined): boolean {
    return this.state.verifyCsrfToken(token)
  }
  listSessions(): Promise<ActiveSession[]> {
    return this.state.listSessions()
  }
  revokeSession(handle: string): Promise<boolean> {
    return this.state.revokeSession(handle)
  }
  revokeOtherSessions(): Promise<number> {
    return this.state.revokeOtherSessions()
  }
  revokeAllSessions(): Promise<number> {
    return this.state.revokeAllSessions()
  }
}
