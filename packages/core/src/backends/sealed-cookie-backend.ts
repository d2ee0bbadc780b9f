import { isCanonicalBase64url } from '../crypto/base64url.js'
import { isPromise, type MaybePromise } from '../crypto/maybe-promise.js'
import type { EngineContext } from '../engine/engine-context.js'
import { RecentlyOpened } from '../engine/recently-opened.js'
import type { DecodedPayload, SessionMeta } from '../engine/session-payload.js'
import { SessionGoneError } from '../errors.js'
import type { SessionState } from '../request/session-state.js'
import type { ReloadIfGone } from '../session/reload-options.js'
import type { SessionBackend } from './session-backend.js'

/** Browsers keep at most about 4096 bytes per cookie (name, value and attributes). */
export const COOKIE_SIZE_LIMIT = 4096
/** Seals whose plaintext is kept, so a returning cookie is not decrypted again (at most ~8 MB). */
const OPENED_SEALS = 1024

/** A seal that opened: its plaintext, and which key of the list opened it. */
interface OpenedSeal {
  plain: string
  keyIndex: number
}

/** An opened seal that carries its session's id and expiry. */
interface Unsealed extends DecodedPayload {
  meta: SessionMeta & { i: string; e: number }
}

/**
 * The whole session sealed in the cookie ({@link CookieStore}): AES-256-GCM under a key
 * list (newest seals, all open), the cookie name bound in as additional data. The session's
 * id and expiry travel inside the seal; there is no record to version, so nothing is stored
 * and the commit only decides whether the response carries a new seal.
 */
export class SealedCookieBackend implements SessionBackend {
  readonly cookieLimit = COOKIE_SIZE_LIMIT
  /** Bound into every seal: a value copied under another cookie or header name does not open. */
  private readonly aad: string
  /**
   * Recently opened or made seals and their plaintext. A browser sends the same cookie until
   * a response changes it, and decryption (a cipher context per call) was the largest cost of
   * a `/read`. Only seals that opened or that this backend made are kept, so garbage cookies
   * cannot fill it; the oldest entry goes first.
   */
  private readonly opened = new RecentlyOpened<OpenedSeal>(OPENED_SEALS, () => 1)

  /**
   * Where nothing waits, the cookie is opened on the route's first use of the session. Not
   * with a revocation list (a store read), `rolling` (every response re-sends the seal, so
   * it is opened anyway) or `trackIp` (every request records the address it came from).
   */
  readonly loadOnUse: ((state: SessionState, candidates: readonly string[]) => void) | null

  constructor(
    private readonly ctx: EngineContext,
    private readonly keys: readonly string[],
  ) {
    const options = ctx.options
    this.aad = options.idHeader ?? options.cookie.name
    this.loadOnUse =
      options.crypto.synchronous === true &&
      !options.cookieRevocationStore &&
      !options.rolling &&
      !options.trackIp
        ? (state, candidates) => this.openNow(state, candidates)
        : null
  }

  accepts(value: string): boolean {
    // Canonical only: a decoder ignores the last character's unused bits, so a changed
    // character could otherwise open to the same session.
    return value.length <= COOKIE_SIZE_LIMIT && isCanonicalBase64url(value)
  }

  async load(state: SessionState, candidates: readonly string[]): Promise<void> {
    const seal = await this.openFirst(candidates, 0, 0)
    const unsealed = this.unseal(seal)
    if (unsealed && (await this.isRevoked(unsealed.meta.i))) {
      this.ctx.emit('invalid', { reason: 'revoked', key: unsealed.meta.i })
    } else if (unsealed) this.adopt(state, unsealed, (seal as OpenedSeal).keyIndex)
  }

  /** {@link SealedCookieBackend.load} under a synchronous provider and no revocation list. */
  private openNow(state: SessionState, candidates: readonly string[]): void {
    const seal = this.openFirst(candidates, 0, 0)
    if (isPromise(seal)) {
      const { name } = this.ctx.options.crypto
      throw new TypeError(
        `The crypto provider "${name}" says it is synchronous but open() returned a promise; drop its \`synchronous\` flag.`,
      )
    }
    const unsealed = this.unseal(seal)
    if (unsealed) this.adopt(state, unsealed, (seal as OpenedSeal).keyIndex)
  }

  /**
   * The first candidate that opens under one of the keys (from candidate `from`, key `key`),
   * remembered or decrypted: synchronous while the provider answers synchronously.
   */
  private openFirst(
    candidates: readonly string[],
    from: number,
    key: number,
  ): MaybePromise<OpenedSeal | null> {
    const { crypto } = this.ctx.options
    for (let c = from; c < candidates.length; c++, key = 0) {
      const candidate = candidates[c] as string
      const known = this.opened.get(candidate)
      if (known !== undefined) return known
      for (let i = key; i < this.keys.length; i++) {
        const plain = crypto.open(this.keys[i] as string, candidate, this.aad)
        if (isPromise(plain)) {
          return plain.then((value) =>
            value === null
              ? this.openFirst(candidates, c, i + 1)
              : this.remember(candidate, value, i),
          )
        }
        if (plain !== null) return this.remember(candidate, plain, i)
      }
    }
    return null
  }

  private remember(sealed: string, plain: string, keyIndex: number): OpenedSeal {
    const seal = { plain, keyIndex }
    this.opened.set(sealed, seal)
    return seal
  }

  /** The session an opened seal holds, or null (and the reason emitted): none opened, or unusable. */
  private unseal(seal: OpenedSeal | null): Unsealed | null {
    const ctx = this.ctx
    if (seal === null) {
      ctx.emit('invalid', { reason: 'undecryptable' })
      return null
    }
    const decoded = ctx.codec.decodePlain(seal.plain)
    if (typeof decoded === 'string') {
      ctx.emit('invalid', { reason: decoded })
      return null
    }
    const { meta } = decoded
    if (typeof meta.i !== 'string' || typeof meta.e !== 'number') {
      ctx.emit('invalid', { reason: 'corrupt-payload' })
      return null
    }
    const expired = ctx.expiry.expiredReason(meta, meta.e)
    if (expired) {
      ctx.emit('expired', { key: meta.i, reason: expired })
      return null
    }
    return decoded as Unsealed
  }

  private adopt(state: SessionState, unsealed: Unsealed, keyIndex: number): void {
    const { meta } = unsealed
    // Spelled out rather than spread: the spread's generic copy showed in profiles.
    state.adopt(meta.i, meta.i, { meta, data: unsealed.data, version: 0, expiresAt: meta.e })
    // Re-seal under the newest key once an old key opened it.
    if (keyIndex > 0) state.deliverId = true
  }

  async reload(state: SessionState, candidates: readonly string[], ifGone: ReloadIfGone) {
    // The cookie is the only copy: without one there is nothing to reload.
    if (ifGone === 'throw' && (candidates.length === 0 || !state.stored)) {
      throw new SessionGoneError()
    }
    state.becomeEmpty()
    state.deliverId = false
    if (candidates.length > 0) await this.load(state, candidates)
  }

  /**
   * The cookie is the session: clearing it (the response does) is all there is to do, unless
   * a revocation list is configured: then the id is recorded there (hashed, like every store
   * key) until the session would have expired, so a copy of the cookie is refused too.
   */
  async destroy(id: string, expiresAt: number): Promise<void> {
    const store = this.ctx.options.cookieRevocationStore
    if (!store) return
    const key = await this.ctx.ids.storeKey(id)
    const record = { payload: 'revoked', version: 1, expiresAt, userId: null }
    await this.ctx.storeCall('set', () => store.set(key, record, null))
  }

  private async isRevoked(id: string): Promise<boolean> {
    const store = this.ctx.options.cookieRevocationStore
    if (!store) return false
    const key = await this.ctx.ids.storeKey(id)
    return (await this.ctx.storeCall('get', () => store.get(key))) !== null
  }

  /** Decides whether the response carries a new seal: new, changed, touch due, or re-keyed. */
  persist(state: SessionState): Promise<void> | null {
    const ctx = this.ctx
    const expiresAt = ctx.expiry.expiryFor(state.meta)
    if (!state.hasContent()) {
      const stored = state.stored
      const key = state.key as string
      const userId = state.userId
      state.becomeEmpty()
      state.deliverId = false
      if (!stored) return null
      ctx.emit('destroyed', { key, userId, reason: 'emptied' })
      return ctx.options.cookieRevocationStore ? this.destroy(key, stored.expiresAt) : null
    }
    const stored = state.stored
    const changed =
      stored === null ||
      state.changes.metaChanged ||
      state.changes.changedKeys(state.data).length > 0
    const touchDue =
      stored !== null && ctx.expiry.moveDue(expiresAt, stored.expiresAt, state.touchRequested)
    if (!changed && !touchDue && !state.deliverId) return null
    if (stored === null) {
      if (state.id === null) state.id = ctx.ids.newId()
      state.key = state.id
      if (state.replacedKey) {
        ctx.emit('regenerated', {
          previousKey: state.replacedKey,
          key: state.id,
          userId: state.userId,
        })
        state.replacedKey = null
      } else ctx.emit('created', { key: state.id, userId: state.userId })
    }
    state.meta.i = state.id as string
    state.meta.e = expiresAt
    state.stored = { version: 0, expiresAt }
    state.deliverId = true
    state.touchRequested = false
    state.changes.reset()
    return null
  }

  idValue(state: SessionState): MaybePromise<string> {
    const plain = this.ctx.codec.encodePlain(state.meta, state.data)
    const sealed = this.ctx.options.crypto.seal(this.keys[0] as string, plain, this.aad)
    // What this response seals, the browser sends back next: known, so never decrypted.
    if (isPromise(sealed)) {
      return sealed.then((value) => {
        this.remember(value, plain, 0)
        return value
      })
    }
    this.remember(sealed, plain, 0)
    return sealed
  }
}
