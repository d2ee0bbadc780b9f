import type { SessionBackend } from '../backends/session-backend.js'
import { readCookieValues } from '../cookie/cookie.js'
import { isPromise, type MaybePromise } from '../crypto/maybe-promise.js'
import { timingSafeEqual } from '../crypto/timing-safe-equal.js'
import type { EngineContext } from '../engine/engine-context.js'
import { type ExclusiveOptions, resolveExclusiveOptions } from '../engine/exclusive-sections.js'
import type { SessionEvents } from '../engine/session-events.js'
import { isUserId, MAX_USER_ID_LENGTH } from '../engine/session-payload.js'
import { SessionNotLoadedError, SessionUnavailableError } from '../errors.js'
import { parseDuration } from '../options/duration.js'
import { lifetimeMeta, type SessionLifetime } from '../options/session-lifetime.js'
import type { Duration } from '../options/session-options.js'
import type { ReloadOptions } from '../session/reload-options.js'
import type { ActiveSession, LoginOptions, Session } from '../session/session.js'
import { compareDevice } from './device-binding.js'
import { headerValues } from './id-header.js'
import { getOwn, setOwn } from './own-property.js'
import type {
  CommitOptions,
  IncomingRequestInfo,
  RequestSession,
  ResponseHeaders,
} from './request-session.js'
import { appendIdHeaders } from './response-id.js'
import { SessionState } from './session-state.js'
import { type SessionOperations, SessionView } from './session-view.js'

/**
 * Where the request is: `loading` until the incoming id was read, `open` while the route uses
 * the session, `committed` once the response's headers were produced. `onUse`: the incoming id
 * is read on the session's first use (see `SessionBackend.loadOnUse`); until then, nothing.
 */
type Phase = 'loading' | 'onUse' | 'open' | 'committed'

/**
 * One request's session: what the request presented, the session it leads to (in a
 * {@link SessionState}, loaded and persisted by the engine's {@link SessionBackend}), the
 * route's reads and writes, and the commit. Driven by an adapter through
 * {@link RequestSession}; the route sees it through {@link Session}.
 */
export class RequestSessionState<Data extends object>
  implements RequestSession<Data>, SessionOperations
{
  readonly hasIncomingId: boolean
  private view: Session<Data> | null = null
  private phase: Phase
  private loadPromise: Promise<void> | null = null
  /** The route read or wrote the session, so the response varies on the id. */
  private accessed = false
  private readonly candidates: string[]
  private made: SessionState | null = null
  private readonly userAgent: string | null | undefined

  constructor(
    private readonly ctx: EngineContext,
    private readonly backend: SessionBackend,
    private readonly request: IncomingRequestInfo,
  ) {
    const { idHeader, cookie } = ctx.options
    const values = idHeader
      ? headerValues(request.header?.(idHeader))
      : readCookieValues(request.cookie, cookie.name)
    // Nearly always every value is well formed: keep the array rather than copy it.
    this.candidates = values.every((value) => backend.accepts(value))
      ? values
      : values.filter((value) => backend.accepts(value))
    this.hasIncomingId = values.length > 0
    this.phase = this.candidates.length === 0 ? 'open' : backend.loadOnUse ? 'onUse' : 'loading'
    this.userAgent = request.userAgent
  }

  /**
   * The session's state, made on first use: a request without a session id whose route never
   * touches the session allocates none of it, and its commit has nothing to do.
   */
  private get state(): SessionState {
    if (this.made === null) {
      const made = new SessionState(
        this.ctx.options.now,
        this.userAgent,
        this.ctx.codec,
        this.ctx.options.trackIp ? this.request.ip : undefined,
      )
      this.made = made
      if (this.phase === 'onUse') {
        this.phase = 'open'
        ;(this.backend.loadOnUse as NonNullable<SessionBackend['loadOnUse']>)(made, this.candidates)
        compareDevice(this.ctx, made, this.userAgent, this.request.ip)
      }
    }
    return this.made
  }

  /** The route's view of the session, made on first use (most requests never ask). */
  get session(): Session<Data> {
    if (this.view === null) this.view = new SessionView<Data>(this)
    return this.view
  }

  get loaded(): boolean {
    return this.phase !== 'loading'
  }

  get readsOnUse(): boolean {
    return this.phase === 'onUse'
  }

  // ---- loading -------------------------------------------------------------------------

  load(): Promise<void> {
    if (!this.loadPromise) {
      this.loadPromise =
        this.phase === 'loading'
          ? this.backend.load(this.state, this.candidates).then(() => {
              this.phase = 'open'
              compareDevice(this.ctx, this.state, this.userAgent, this.request.ip)
            })
          : Promise.resolve()
    }
    return this.loadPromise
  }

  // ---- data access (through SessionView) -------------------------------------------------

  private usable(): void {
    if (this.phase === 'loading') throw new SessionNotLoadedError()
    this.accessed = true
  }

  private writable(): void {
    if (this.phase === 'committed') {
      throw new SessionUnavailableError(
        'The session was already committed for this response; change it before the response is sent.',
      )
    }
    this.usable()
  }

  get(key: string): unknown {
    this.usable()
    const { data, changes } = this.state
    changes.track(data, key)
    return getOwn(data, key)
  }

  has(key: string): boolean {
    this.usable()
    const { data, changes } = this.state
    changes.track(data, key)
    return Object.hasOwn(data, key) && data[key] !== undefined
  }

  set(key: string, value: unknown): void {
    if (value === undefined) {
      this.delete(key)
      return
    }
    this.writable()
    const { data, changes } = this.state
    changes.track(data, key)
    setOwn(data, key, value)
    changes.set(key, value)
  }

  delete(key: string): void {
    this.writable()
    const { data, changes } = this.state
    changes.track(data, key)
    delete data[key]
    changes.delete(key)
  }

  update(key: string, fn: (current: unknown) => unknown): unknown {
    this.writable()
    const { data, changes } = this.state
    changes.track(data, key)
    const value = fn(getOwn(data, key))
    if (value === undefined) delete data[key]
    else setOwn(data, key, value)
    changes.update(key, fn)
    return value
  }

  keys(): string[] {
    this.usable()
    return Object.keys(this.state.data)
  }

  all(): Record<string, unknown> {
    this.usable()
    const { data, changes } = this.state
    for (const key of Object.keys(data)) changes.track(data, key)
    return { ...data }
  }

  clear(): void {
    for (const key of Object.keys(this.state.data)) this.delete(key)
  }

  get sessionId(): string {
    this.usable()
    const state = this.state
    if (state.id === null) state.id = this.ctx.ids.newId()
    return state.id
  }

  get isNew(): boolean {
    return this.state.stored === null
  }

  get userId(): string | null {
    return this.state.userId
  }

  get createdAt(): number {
    return this.state.meta.c
  }

  /** The store key of the current session (its handle), once it has one. */
  private get handle(): string | null {
    return this.state.stored ? this.state.key : null
  }

  flash(key: string, message: unknown): void {
    this.writable()
    const meta = this.state.meta
    if (!meta.f) meta.f = {}
    const list = getOwn(meta.f, key)
    if (list) list.push(message)
    else setOwn(meta.f, key, [message])
    this.state.changes.flashAdd(key, message)
  }

  takeFlash(key: string): unknown[] {
    this.usable()
    const meta = this.state.meta
    const flashes = meta.f
    const list = flashes ? getOwn(flashes, key) : undefined
    if (!flashes || !list || list.length === 0) return []
    this.writable()
    delete flashes[key]
    if (Object.keys(flashes).length === 0) delete meta.f
    this.state.changes.flashTake(key, list.length)
    return list
  }

  takeAllFlash(): Record<string, unknown[]> {
    this.usable()
    const all: Record<string, unknown[]> = {}
    for (const key of Object.keys(this.state.meta.f ?? {})) setOwn(all, key, this.takeFlash(key))
    return all
  }

  csrfToken(): string {
    this.usable()
    const meta = this.state.meta
    if (!meta.t) {
      this.writable()
      meta.t = this.ctx.options.crypto.randomToken(32)
      this.state.changes.csrfTokenCreated()
    }
    return meta.t
  }

  verifyCsrfToken(token: string | null | undefined): boolean {
    this.usable()
    const expected = this.state.meta.t
    if (!expected || typeof token !== 'string') return false
    return timingSafeEqual(expected, token)
  }

  touch(): void {
    this.usable()
    this.state.touchRequested = true
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  // regenerate() and destroy() switch the in-memory state before awaiting the store, so a
  // write made while the returned promise is still pending lands on the new session.

  async regenerate(options: { keepData?: boolean } = {}): Promise<void> {
    this.writable()
    const state = this.state
    const oldKey = this.handle
    const oldExpiresAt = state.stored?.expiresAt ?? 0
    state.id = null
    state.key = null
    state.stored = null
    if (options.keepData !== true) {
      state.data = {}
      state.meta = state.freshMeta()
    } else {
      state.meta.c = this.ctx.options.now()
      delete state.meta.i
      delete state.meta.e
    }
    state.changes.reset()
    if (oldKey) {
      state.replacedKey = oldKey
      await this.backend.destroy(oldKey, oldExpiresAt)
    }
  }

  async destroy(reason: SessionEvents['destroyed']['reason'] = 'destroy'): Promise<void> {
    this.writable()
    const oldKey = this.handle
    const oldExpiresAt = this.state.stored?.expiresAt ?? 0
    const userId = this.userId
    this.state.becomeEmpty()
    if (oldKey) {
      await this.backend.destroy(oldKey, oldExpiresAt)
      this.ctx.emit('destroyed', { key: oldKey, userId, reason })
    }
  }

  async login(userId: string, options: LoginOptions = {}): Promise<void> {
    if (!isUserId(userId)) {
      throw new TypeError(
        `login(userId) needs a user id: a non-empty string of at most ${MAX_USER_ID_LENGTH} characters without control characters.`,
      )
    }
    const lifetime = options.remember ? this.ctx.options.lifetimes.rememberMe : undefined
    const own = options.lifetime ? this.lifetimeMeta(options.lifetime) : lifetime
    await this.regenerate({ keepData: true })
    const state = this.state
    state.meta.u = userId
    state.meta.z = this.ctx.options.now()
    if (own) state.meta.l = { ...own }
    state.changes.metaChanged = true
    state.loginPending = true
  }

  get authenticatedAt(): number | null {
    return this.state.meta.z ?? null
  }

  isFresh(maxAge: Duration): boolean {
    this.usable()
    const at = this.state.meta.z
    return at !== undefined && this.ctx.options.now() - at <= parseDuration('maxAge', maxAge)
  }

  reauthenticated(): void {
    this.writable()
    this.state.meta.z = this.ctx.options.now()
    this.state.changes.metaChanged = true
  }

  setLifetime(lifetime: SessionLifetime | null): void {
    this.writable()
    const meta = this.state.meta
    if (lifetime === null) delete meta.l
    else meta.l = this.lifetimeMeta(lifetime)
    this.state.changes.metaChanged = true
    // The expiry and the cookie follow the new lifetime at once.
    this.state.touchRequested = true
    this.state.deliverId = true
  }

  private lifetimeMeta(lifetime: SessionLifetime) {
    return lifetimeMeta(lifetime, this.ctx.options.lifetimes, 'setLifetime')
  }

  get lifetime(): Session['lifetime'] {
    const { expiry } = this.ctx
    const meta = this.state.meta
    return {
      idleTimeoutMs: expiry.idleOf(meta),
      absoluteTimeoutMs: expiry.absoluteOf(meta),
      persistent: expiry.persistentOf(meta),
    }
  }

  async logout(): Promise<void> {
    await this.destroy('logout')
  }

  async reload(options: ReloadOptions = {}): Promise<void> {
    this.writable()
    const ifGone = options.ifGone ?? 'empty'
    if (ifGone !== 'empty' && ifGone !== 'throw') {
      throw new TypeError("reload({ ifGone }) expects 'empty' or 'throw'.")
    }
    await this.backend.reload(this.state, this.candidates, ifGone)
  }

  async save(): Promise<void> {
    this.writable()
    await this.backend.persist(this.state)
  }

  async exclusive<T>(section: () => T | Promise<T>, options?: ExclusiveOptions): Promise<T> {
    this.writable()
    const sections = this.ctx.sections
    const leases = sections.assertSupported()
    const resolved = resolveExclusiveOptions(options, this.ctx.options.exclusive, 'exclusive()')
    if (typeof section !== 'function') throw new TypeError('exclusive(section) expects a function.')
    // What this request changed so far is saved first: the section starts from stored state.
    await this.save()
    const key = this.state.key
    // A session no other request can know yet (never stored) needs no lease.
    if (key === null) return section()
    return sections.run(
      leases,
      key,
      async () => {
        // Another request's section may have changed the session: see its writes.
        await this.reload({ ifGone: 'throw' })
        const result = await section()
        if (this.phase !== 'committed') await this.save()
        return result
      },
      resolved,
    )
  }

  // ---- committing ----------------------------------------------------------------------------

  commit(options: CommitOptions = {}): Promise<ResponseHeaders> {
    try {
      const headers = this.finish(options)
      return isPromise(headers) ? headers : Promise.resolve(headers)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  finish(options: CommitOptions = {}): MaybePromise<ResponseHeaders> {
    if (this.phase === 'committed') return []
    if (this.made === null && (!this.hasIncomingId || this.phase === 'onUse')) {
      // Nothing presented, or nothing used: no header to add, nothing to store.
      this.phase = 'committed'
      return []
    }
    const loaded = this.phase === 'open'
    const headers: ResponseHeaders = []
    const status = options.status ?? 200
    const { idHeader, saveOnServerError } = this.ctx.options
    const state = this.state
    if (this.accessed || state.stored) headers.push(['vary', idHeader ?? 'Cookie'])
    // A failed response saves nothing; the next request sees the session as it was. And a
    // new session no cookie could reach is not stored: it would only leave garbage.
    if (
      (status >= 500 && !saveOnServerError) ||
      (options.canSetCookie === false && state.stored === null)
    ) {
      this.phase = 'committed'
      return headers
    }
    // An id is only rotated when the response can carry the new one.
    if (options.canSetCookie === false) state.rotationDue = false
    const written = loaded ? this.backend.persist(state) : null
    return written
      ? written.then(() => this.idHeaders(headers, options))
      : this.idHeaders(headers, options)
  }

  /** After the write: the id (or its deletion) the response carries. */
  private idHeaders(
    headers: ResponseHeaders,
    options: CommitOptions,
  ): MaybePromise<ResponseHeaders> {
    this.phase = 'committed'
    const state = this.state
    if (this.ctx.options.rolling && state.stored !== null) state.deliverId = true
    const done = appendIdHeaders(
      this.ctx,
      this.backend,
      state,
      this.hasIncomingId,
      headers,
      options.cookie,
    )
    return isPromise(done) ? done.then(() => headers) : headers
  }

  // ---- per-user --------------------------------------------------------------------------------

  private signedInUser(feature: string, needsListing = false): string {
    if (needsListing) this.ctx.users.assertSupported(feature)
    const userId = this.userId
    if (!userId)
      throw new SessionUnavailableError(
        `${feature} needs a signed-in session; call login(userId) first.`,
      )
    return userId
  }

  async listSessions(): Promise<ActiveSession[]> {
    this.usable()
    return this.ctx.users.list(this.signedInUser('listSessions()', true), this.handle)
  }

  async revokeSession(handle: string): Promise<boolean> {
    this.usable()
    const revoked = await this.ctx.users.revoke(this.signedInUser('revokeSession()', true), handle)
    if (revoked && handle === this.handle) this.state.becomeEmpty()
    return revoked
  }

  async revokeOtherSessions(): Promise<number> {
    this.usable()
    return this.ctx.users.revokeAll(this.signedInUser('revokeOtherSessions()', true), this.handle)
  }

  async revokeAllSessions(): Promise<number> {
    this.usable()
    const count = await this.ctx.users.revokeAll(this.signedInUser('revokeAllSessions()', true))
    this.state.becomeEmpty()
    return count
  }
}
