const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const LOOKUP = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i

/** base64url without padding; works on every runtime (no Buffer, no btoa limits). */
export function bytesToBase64url(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out +=
      ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!
  }
  return out
}

/** Decodes base64url (no padding); returns null on any character outside the alphabet. */
export function base64urlToBytes(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let buffer = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const value = code < 128 ? (LOOKUP[code] as number) : -1
    if (value < 0) return null
    buffer = (buffer << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (buffer >> bits) & 0xff
    }
  }
  return out
}

/**
 * True when the characters of `text` from `start` up to `end` are all in the base64url
 * alphabet. A range, not a slice: the signed id is checked on every request without copying.
 */
export function isBase64urlSpan(text: string, start: number, end: number): boolean {
  if (end > text.length) return false
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i)
    if (code >= 128 || (LOOKUP[code] as number) < 0) return false
  }
  return true
}

/** True when every character of `text` is in the base64url alphabet (and it is not empty). */
export function isBase64urlAny(text: string): boolean {
  if (text.length === 0) return false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 128 || (LOOKUP[code] as number) < 0) return false
  }
  return true
}

/**
 * True when `text` is base64url in its one canonical form: every character in the alphabet,
 * a length a byte string can have, and the unused low bits of the last character zero. A
 * decoder ignores those bits, so without this check a changed character could decode to the
 * same bytes.
 */
export function isCanonicalBase64url(text: string): boolean {
  if (!isBase64urlAny(text)) return false
  const rest = text.length % 4
  if (rest === 1) return false
  if (rest === 0) return true
  const last = LOOKUP[text.charCodeAt(text.length - 1)] as number
  return rest === 2 ? (last & 0b1111) === 0 : (last & 0b11) === 0
}
