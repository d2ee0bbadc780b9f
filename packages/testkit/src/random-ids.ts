const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** The 64 characters a store key may contain (base64url, no padding). */
export const KEY_ALPHABET: string = BASE64URL

/** Length of a store key: a SHA-256 hash in base64url without padding. */
export const KEY_LENGTH = 43

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  globalThis.crypto.getRandomValues(bytes)
  return bytes
}

/** Base64url without padding, written out so it needs neither `Buffer` nor `btoa`. */
export function base64url(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 3 <= bytes.length; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out +=
      BASE64URL[n >>> 18]! +
      BASE64URL[(n >>> 12) & 63]! +
      BASE64URL[(n >>> 6) & 63]! +
      BASE64URL[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    out += BASE64URL[n >>> 18]! + BASE64URL[(n >>> 12) & 63]!
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out += BASE64URL[n >>> 18]! + BASE64URL[(n >>> 12) & 63]! + BASE64URL[(n >>> 6) & 63]!
  }
  return out
}

/**
 * A fresh random store key shaped like the ones the engine hands a store: 32 random bytes
 * in base64url (43 characters of `[A-Za-z0-9_-]`), as a SHA-256 hash of a session id is.
 * Tests use a new one each time, so suites can share a server between tests and runs.
 *
 * @example
 * ```ts
 * const key = randomKey() // e.g. 'q3Zb0xk2n_Vd-8a…' (43 characters)
 * await store.set(key, { payload: '{}', version: 1, expiresAt: Date.now() + 60_000 }, null)
 * ```
 */
export function randomKey(): string {
  return base64url(randomBytes(32))
}

/**
 * A fresh random user id (`user-` and 16 base64url characters), so per-user cases never see
 * another test's or another run's sessions.
 */
export function randomUserId(): string {
  return `user-${base64url(randomBytes(12))}`
}
