/** A value now, or later: the Node provider answers synchronously, Web Crypto asynchronously. */
export type MaybePromise<T> = T | Promise<T>

/**
 * The crypto primitives the engine needs. Two ship with core: {@link webCryptoProvider}
 * (any runtime with `globalThis.crypto.subtle`) and a synchronous one built on `node:crypto`,
 * which {@link defaultCryptoProvider} finds at run time through `process.getBuiltinModule`
 * (Node 20.16+, Bun, Deno), so core itself imports no `node:` module.
 *
 * String keys are secrets as the user configured them; a provider derives and caches what
 * it needs from them. All binary output is base64url without padding.
 */
export interface CryptoProvider {
  readonly name: string
  /**
   * True when every method answers directly, never with a promise (the `node:crypto`
   * provider). A sealed cookie is then opened on the route's first use of the session, not
   * before the route runs: a route that never uses the session pays no decryption.
   */
  readonly synchronous?: boolean
  /** `size` random bytes from the CSPRNG, base64url. */
  randomToken(size: number): string
  /** HMAC-SHA256 of `data` under `secret`, base64url (43 characters). */
  hmacSha256(secret: string, data: string): MaybePromise<string>
  /** SHA-256 of `data`, base64url (43 characters). */
  sha256(data: string): MaybePromise<string>
  /** AES-256-GCM with a key derived from `secret`: base64url(iv ‖ ciphertext ‖ tag). */
  seal(secret: string, plaintext: string, aad: string): MaybePromise<string>
  /** Reverses {@link CryptoProvider.seal}; null when the text is not authentic under `secret`. */
  open(secret: string, sealed: string, aad: string): MaybePromise<string | null>
}
