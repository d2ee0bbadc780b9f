import { isBase64urlSpan } from '../crypto/base64url.js'
import type { CryptoProvider, MaybePromise } from '../crypto/crypto-provider.js'
import { timingSafeEqual } from '../crypto/timing-safe-equal.js'

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
 * Session ids and their signed form `<id>.<HMAC-SHA256 of id>`: issuing, shape check,
 * signing with the newest secret, verifying against every secret, and the store key (the
 * id's SHA-256), so a leaked store cannot be replayed as cookies.
 */
export class SignedIds {
  private readonly verified = new Map<string, VerifiedId>()

  constructor(
    private readonly secrets: readonly string[],
    private readonly crypto: CryptoProvider,
  ) {}

  /** 256 bits from the CSPRNG, base64url. */
  newId(): string {
    return this.crypto.randomToken(32)
  }

  /** `<id>.<HMAC of id under the newest secret>`. */
  sign(id: string): MaybePromise<string> {
    const signature = this.crypto.hmacSha256(this.secrets[0] as string, id)
    return typeof signature === 'string'
      ? `${id}.${signature}`
      : signature.then((s) => `${id}.${s}`)
  }

  /** True when `value` has the exact shape of a signed id; anything else is rejected unread. */
  isWellFormed(value: string): boolean {
    return (
      value.length === SIGNED_LENGTH &&
      value.charCodeAt(ID_LENGTH) === 46 &&
      isBase64urlSpan(value, 0, ID_LENGTH) &&
      isBase64urlSpan(value, ID_LENGTH + 1, SIGNED_LENGTH)
    )
  }

  /**
   * Checks the signature against every secret, newest first; null when none signed it.
   * Synchronous on a cache hit and with a synchronous crypto provider (Node's), so the
   * common request awaits nothing here.
   */
  verify(value: string): MaybePromise<VerifiedId | null> {
    const cached = this.verified.get(value)
    if (cached) return cached
    if (!this.isWellFormed(value)) return null
    const id = value.slice(0, ID_LENGTH)
    const signature = value.slice(ID_LENGTH + 1)
    return this.verifyFrom(value, id, signature, 0)
  }

  private verifyFrom(
    value: string,
    id: string,
    signature: string,
    index: number,
  ): MaybePromise<VerifiedId | null> {
    for (let i = index; i < this.secrets.length; i++) {
      const expected = this.crypto.hmacSha256(this.secrets[i] as string, id)
      if (typeof expected !== 'string') {
        return expected.then((digest) =>
          timingSafeEqual(digest, signature)
            ? this.remember(value, id, i)
            : this.verifyFrom(value, id, signature, i + 1),
        )
      }
      if (timingSafeEqual(expected, signature)) return this.remember(value, id, i)
    }
    return null
  }

  private remember(value: string, id: string, secretIndex: number): MaybePromise<VerifiedId> {
    const store = (key: string): VerifiedId => {
      const verified = { id, signedByOldSecret: secretIndex > 0, key }
      // Cleared when full rather than trimmed one by one: deleting a Map's first key over
      // and over makes V8 skip ever more holes to find the next one.
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear()
      this.verified.set(value, verified)
      return verified
    }
    const key = this.storeKey(id)
    return typeof key === 'string' ? store(key) : key.then(store)
  }

  /** The store key of an id: SHA-256, base64url. */
  storeKey(id: string): MaybePromise<string> {
    return this.crypto.sha256(id)
  }
}
