import { isPromise, type MaybePromise, RESOLVED } from '../crypto/maybe-promise.js'
import type { EngineContext } from '../engine/engine-context.js'
import type { DecodedPayload, DecodeFailure } from '../engine/session-payload.js'
import type { VerifiedId } from '../engine/signed-id.js'
import { SessionConflictError, SessionGoneError, SessionTooLargeError } from '../errors.js'
import type { LiveSession, SessionState } from '../request/session-state.js'
import type { ReloadIfGone } from '../session/reload-options.js'
import type { StoredSession } from '../stores/session-store.js'
import { isRetiredPayload, openRetiredId, sealRetiredId } from './retired-id.js'
import type { SessionBackend } from './session-backend.js'

/** Why a key leads to no session (`reused`: a retired id after its grace window). */
type NoSession = 'unknown-id' | DecodeFailure | 'idle' | 'absolute' | 'reused'

/** Where a rotated session's old id led, within the grace window: its successor. */
class Successor {
  constructor(
    readonly id: string,
    readonly key: string,
    readonly live: LiveSession,
  ) {}
}

/** How many rotations in a row a retired id is followed (each within its own grace window). */
const MAX_HOPS = 3

const encoder = new TextEncoder()

/**
 * Sessions in a server store, reached through a signed id: the cookie (or id header) carries
 * `<id>.<HMAC>`, the store keeps the record under the id's SHA-256. Strict: an id the store
 * does not know is never adopted. Commits are conditional writes on the record's version.
 */
export class ServerBackend implements SessionBackend {
  readonly cookieLimit = null
  /** A store read waits for its answer: the id is read before the route. */
  readonly loadOnUse = null

  constructor(private readonly ctx: EngineContext) {}

  accepts(value: string): boolean {
    return this.ctx.ids.isWellFormed(value)
  }

  // The read path is written with as few promises as it can have: one request's load is a
  // verified-id cache hit (synchronous), one store call, and a synchronous decode.

  load(state: SessionState, candidates: readonly string[]): Promise<void> {
    const verified = this.verifyFirst(candidates, 0)
    return isPromise(verified)
      ? verified.then((v) => this.loadVerified(state, v))
      : this.loadVerified(state, verified)
  }

  /** The first candidate signed by one of the secrets. */
  private verifyFirst(
    candidates: readonly string[],
    from: number,
  ): MaybePromise<VerifiedId | null> {
    for (let i = from; i < candidates.length; i++) {
      const verified = this.ctx.ids.verify(candidates[i] as string)
      if (isPromise(verified)) {
        return verified.then((v) => v ?? this.verifyFirst(candidates, i + 1))
      }
      if (verified) return verified
    }
    return null
  }

  private loadVerified(state: SessionState, verified: VerifiedId | null): Promise<void> {
    const ctx = this.ctx
    if (!verified) {
      ctx.emit('invalid', { reason: 'bad-signature' })
      return RESOLVED
    }
    const key = verified.key
    const adopt = (live: LiveSession | Successor | NoSession): void => {
      if (typeof live === 'string') {
        if (live === 'reused') return // reported by `reuse`; the pointer stays, to catch the next
        if (live === 'idle' || live === 'absolute') ctx.emit('expired', { key, reason: live })
        else ctx.emit('invalid', { reason: live, key })
        // Strict mode: an id the store does not know is never adopted; a dead record goes.
        if (live !== 'unknown-id') state.staleKey = key
        return
      }
      if (live instanceof Successor) {
        // A request that was in flight while its session rotated: it gets the new id.
        state.adopt(live.id, live.key, live.live)
        state.deliverId = true
        return
      }
      state.adopt(verified.id, key, live)
      this.markRotation(state)
      // Signed by an old secret: re-issue it under the newest one.
      if (verified.signedByOldSecret) state.deliverId = true
      // Encrypted under an old key: the commit rewrites it under the newest, so the old key
      // can be dropped once every active session has been used.
      if (live.staleKey) state.changes.metaChanged = true
    }
    // Not through `read()`: one promise fewer on every request that presents a session id.
    return this.fetch(key).then((stored) => {
      const live = this.liveOf(key, stored, 0)
      return isPromise(live) ? live.then(adopt) : adopt(live)
    })
  }

  async reload(state: SessionState, _candidates: readonly string[], ifGone: ReloadIfGone) {
    if (!state.stored || !state.key) {
      if (ifGone === 'throw') throw new SessionGoneError()
      state.becomeEmpty()
      return
    }
    const live = await this.read(state.key)
    if (typeof live === 'string') {
      if (ifGone === 'throw') throw new SessionGoneError()
      state.becomeEmpty()
      return
    }
    if (live instanceof Successor) {
      state.adopt(live.id, live.key, live.live)
      state.deliverId = true
    } else {
      state.adopt(state.id as string, state.key, live)
    }
    state.changes.reset()
  }

  /** Marks a session whose id is older than `rotation.every`: the commit replaces it. */
  private markRotation(state: SessionState): void {
    const rotation = this.ctx.options.rotation
    if (rotation === null) return
    const issuedAt = state.meta.r ?? state.meta.c
    if (this.ctx.options.now() - issuedAt >= rotation.everyMs) state.rotationDue = true
  }

  /**
   * The live session stored under `key`, or why there is none (expiry checked on read).
   * A retired id within its grace window leads to its successor.
   */
  private read(key: string, hops = 0): Promise<LiveSession | Successor | NoSession> {
    return this.fetch(key).then((stored) => this.liveOf(key, stored, hops))
  }

  /** The record stored under `key`, through the store-call timeout. */
  private fetch(key: string): Promise<StoredSession | null> {
    const store = this.ctx.options.store
    return this.ctx.storeCall('get', () => store.get(key))
  }

  /** What a stored record under `key` is: a live session, a successor, or why neither. */
  private liveOf(
    key: string,
    stored: StoredSession | null,
    hops: number,
  ): MaybePromise<LiveSession | Successor | NoSession> {
    if (!stored) return 'unknown-id'
    if (isRetiredPayload(stored.payload)) return this.followRetired(key, stored.payload, hops)
    const decoded = this.ctx.codec.decode(stored.payload, key)
    return isPromise(decoded)
      ? decoded.then((d) => this.live(d, stored))
      : this.live(decoded, stored)
  }

  /** Where a retired id leads: its successor within the grace window; after it, reuse. */
  private async followRetired(
    key: string,
    payload: string,
    hops: number,
  ): Promise<Successor | NoSession> {
    const ctx = this.ctx
    const pointer = await openRetiredId(ctx.options.crypto, ctx.options.secrets, key, payload)
    if (pointer === null) return 'corrupt-payload'
    const successorKey = await ctx.ids.storeKey(pointer.successorId)
    if (ctx.options.now() > pointer.graceUntil) {
      await this.reuseDetected(key, pointer.userId, successorKey)
      return 'reused'
    }
    if (hops >= MAX_HOPS) return 'unknown-id'
    const next = await this.read(successorKey, hops + 1)
    if (typeof next === 'string' || next instanceof Successor) return next
    return new Successor(pointer.successorId, successorKey, next)
  }

  /** A retired id after its grace window: `reuse`, and with `onReuse: 'revoke'` the session ends. */
  private async reuseDetected(
    key: string,
    userId: string | null,
    successorKey: string,
  ): Promise<void> {
    const ctx = this.ctx
    const rotation = ctx.options.rotation
    const revoke = rotation?.onReuse === 'revoke'
    if (revoke) {
      // The session may have rotated again since: end every id in the chain, live end included.
      let current = successorKey
      for (let hop = 0; hop <= MAX_HOPS; hop++) {
        const stored = await ctx.storeCall('get', () => ctx.options.store.get(current))
        await ctx.storeCall('destroy', () => ctx.options.store.destroy(current))
        if (!stored || !isRetiredPayload(stored.payload)) break
        const next = await openRetiredId(
          ctx.options.crypto,
          ctx.options.secrets,
          current,
          stored.payload,
        )
        if (next === null) break
        current = await ctx.ids.storeKey(next.successorId)
      }
      if (rotation?.revokeUser && userId) await ctx.users.revokeAll(userId)
    }
    ctx.emit('reuse', { key, userId, revoked: revoke })
  }

  private live(
    decoded: DecodedPayload | DecodeFailure,
    stored: { version: number; expiresAt: number },
  ): LiveSession | NoSession {
    if (typeof decoded === 'string') return decoded
    const expired = this.ctx.expiry.expiredReason(decoded.meta, stored.expiresAt)
    if (expired) return expired
    const live = decoded as LiveSession
    live.version = stored.version
    live.expiresAt = stored.expiresAt
    return live
  }

  async destroy(key: string, _expiresAt?: number): Promise<void> {
    const store = this.ctx.options.store
    await this.ctx.storeCall('destroy', () => store.destroy(key))
  }

  idValue(state: SessionState) {
    return this.ctx.ids.sign(state.id as string)
  }

  /**
   * Writes what changed: create, conditional update with re-apply, touch, or delete. Null when
   * there is nothing to write (decided synchronously, so a read-only request awaits nothing).
   */
  persist(state: SessionState): Promise<void> | null {
    const ctx = this.ctx
    if (state.staleKey) {
      const stale = state.staleKey
      state.staleKey = null
      return this.destroy(stale).then(() => this.persist(state) ?? undefined)
    }
    const stored = state.stored
    if (stored === null) return state.hasContent() ? this.create(state) : null
    const key = state.key as string
    if (state.rotationDue && state.hasContent()) {
      state.rotationDue = false
      return this.rotate(state)
    }
    const changed = state.changes.changedKeys(state.data)
    if (changed.length === 0 && !state.changes.metaChanged) {
      const next = ctx.expiry.expiryFor(state.meta)
      const due = ctx.expiry.moveDue(next, stored.expiresAt, state.touchRequested)
      state.touchRequested = false
      if (!due) return null
      return ctx
        .storeCall('touch', () => ctx.options.store.touch(key, next))
        .then(() => {
          stored.expiresAt = next
          if (ctx.expiry.cookieFollowsIdle(state.meta)) state.deliverId = true
        })
    }
    if (!state.hasContent()) {
      return this.destroy(key).then(() => {
        ctx.emit('destroyed', { key, userId: state.userId, reason: 'emptied' })
        state.becomeEmpty()
      })
    }
    return this.writeChanges(state, changed)
  }

  /**
   * Replaces the session's id: the session (with this request's changes) is written under a
   * new key, then the old record becomes a pointer to it, conditional on the version this
   * request read. Two requests rotating at once: one pointer wins; the other drops its
   * successor and commits the ordinary way, which follows the pointer (one successor, never two
   * live sessions).
   */
  private async rotate(state: SessionState): Promise<void> {
    const ctx = this.ctx
    const store = ctx.options.store
    const graceMs = ctx.options.rotation?.graceMs ?? 0
    const oldKey = state.key as string
    const stored = state.stored as { version: number; expiresAt: number }
    const previousRotation = state.meta.r
    const now = ctx.options.now()
    const giveUp = async (): Promise<void> => {
      if (previousRotation === undefined) delete state.meta.r
      else state.meta.r = previousRotation
      await this.persist(state)
    }
    const newId = ctx.ids.newId()
    const newKey = await ctx.ids.storeKey(newId)
    state.meta.r = now
    const expiresAt = ctx.expiry.expiryFor(state.meta)
    const payload = await this.encode(state, newKey)
    const successor = { payload, version: 1, expiresAt, userId: state.userId }
    if (!(await ctx.storeCall('set', () => store.set(newKey, successor, null)))) return giveUp()
    const pointer = await sealRetiredId(ctx.options.crypto, ctx.options.secrets, oldKey, {
      successorId: newId,
      userId: state.userId,
      graceUntil: now + graceMs,
    })
    const retired = { payload: pointer, version: stored.version + 1, expiresAt, userId: null }
    if (!(await ctx.storeCall('set', () => store.set(oldKey, retired, stored.version)))) {
      await ctx.storeCall('destroy', () => store.destroy(newKey))
      return giveUp()
    }
    state.id = newId
    state.key = newKey
    state.stored = { version: 1, expiresAt }
    state.deliverId = true
    state.touchRequested = false
    state.changes.reset()
    ctx.emit('rotated', { previousKey: oldKey, key: newKey, userId: state.userId })
  }

  private async create(state: SessionState): Promise<void> {
    const ctx = this.ctx
    const store = ctx.options.store
    for (let attempt = 0; attempt < 3; attempt++) {
      if (state.id === null || attempt > 0) state.id = ctx.ids.newId()
      const id = state.id
      const key = await ctx.ids.storeKey(id)
      const expiresAt = ctx.expiry.expiryFor(state.meta)
      const payload = await this.encode(state, key)
      const record = { payload, version: 1, expiresAt, userId: state.userId }
      // Create-only: a (practically impossible) id collision must never take over a session.
      const created = await ctx.storeCall('set', () => store.set(key, record, null))
      if (!created) continue
      state.key = key
      state.stored = { version: 1, expiresAt }
      state.deliverId = true
      if (state.replacedKey) {
        // A regenerated id is a new id: the rotation timer starts again.
        if (ctx.options.rotation) state.meta.r = ctx.options.now()
        ctx.emit('regenerated', { previousKey: state.replacedKey, key, userId: state.userId })
        state.replacedKey = null
      } else {
        ctx.emit('created', { key, userId: state.userId })
      }
      state.changes.reset()
      if (state.loginPending && state.userId) {
        state.loginPending = false
        // Over the limit with `max` more recently used sessions: this one was evicted.
        if (!(await ctx.users.enforceLimit(state.userId, key))) state.becomeEmpty()
      }
      return
    }
    throw new SessionConflictError(3)
  }

  /**
   * Conditional write. On conflict: re-read, re-apply only this request's changes (keys set
   * or deleted, `update` functions replayed on the fresh value), try again; a record that is
   * gone stays gone. The first attempt, which is nearly every commit, runs without an async
   * frame: its only wait is the store call.
   */
  private writeChanges(state: SessionState, changed: string[]): Promise<void> {
    const stored = state.stored as { version: number; expiresAt: number }
    try {
      return this.writeAttempt(state, changed, 0, stored.version, stored.expiresAt)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  private writeAttempt(
    state: SessionState,
    changed: string[],
    attempt: number,
    expected: number,
    storedExpiresAt: number,
  ): Promise<void> {
    const ctx = this.ctx
    const key = state.key as string
    // A write moves the expiry only when a touch would (forced, or touchInterval passed),
    // and every move re-issues a cookie whose Max-Age follows the idle timeout: so the
    // cookie never expires before the record while the user is active.
    const next = ctx.expiry.expiryFor(state.meta)
    const moves = ctx.expiry.moveDue(next, storedExpiresAt, state.touchRequested)
    const expiresAt = moves ? next : storedExpiresAt
    const write = (payload: string) => {
      const record = { payload, version: expected + 1, expiresAt, userId: state.userId }
      return ctx.storeCall('set', () => ctx.options.store.set(key, record, expected))
    }
    const encoded = this.encode(state, key)
    const written = isPromise(encoded) ? encoded.then(write) : write(encoded)
    return written.then((ok) => {
      if (!ok) return this.retryWrite(state, changed, attempt)
      state.stored = { version: expected + 1, expiresAt }
      if (moves && ctx.expiry.cookieFollowsIdle(state.meta)) state.deliverId = true
      state.touchRequested = false
      state.changes.reset()
    })
  }

  /** After a conflict: wait a little, read the record again, re-apply, write again. */
  private async retryWrite(state: SessionState, changed: string[], attempt: number) {
    const ctx = this.ctx
    const key = state.key as string
    ctx.emit('conflict', { key, attempt: attempt + 1 })
    if (attempt >= ctx.options.maxCommitRetries) throw new SessionConflictError(attempt + 1)
    await backoff(attempt)
    let fresh = await this.read(key)
    if (typeof fresh === 'string') {
      // Destroyed, revoked or expired meanwhile: drop this request's changes, never resurrect.
      state.becomeEmpty()
      return
    }
    if (fresh instanceof Successor) {
      // Another request rotated the id meanwhile: continue on the successor, and hand out its id.
      state.id = fresh.id
      state.key = fresh.key
      state.deliverId = true
      fresh = fresh.live
    }
    state.data = state.changes.reapply(fresh.data, state.data, changed)
    state.meta = state.changes.reapplyMeta(fresh.meta, state.meta)
    await this.writeAttempt(state, changed, attempt + 1, fresh.version, fresh.expiresAt)
  }

  /** The payload to store; synchronous unless it is encrypted with an async crypto. */
  private encode(state: SessionState, key: string): MaybePromise<string> {
    const payload = this.ctx.codec.encode(state.meta, state.data, key)
    return isPromise(payload) ? payload.then((p) => this.withinLimit(p)) : this.withinLimit(payload)
  }

  private withinLimit(payload: string): string {
    const limit = this.ctx.options.maxSize
    // Each UTF-16 unit is at most 3 UTF-8 bytes: short payloads skip the exact count.
    if (payload.length * 3 > limit) {
      const size = encoder.encode(payload).length
      if (size > limit) throw new SessionTooLargeError(size, limit)
    }
    return payload
  }
}

/** Jittered exponential backoff between commit attempts, so racing writers spread out. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(50, 2 ** Math.min(attempt, 6))
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling))
}
