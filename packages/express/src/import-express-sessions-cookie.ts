import { createHmac } from 'node:crypto'
import { type CookieAttributes, serializeCookie, timingSafeEqual } from '@tessera/core'
import type { LegacyCookieOptions } from './import-express-sessions-options.js'

/**
 * The session id in express-session's cookie values (`readCookieValues(header, name)`), read
 * as express-session reads it: the value URL-decoded (`cookie.parse`), `s:` then
 * `<sid>.<signature>`, where the signature is cookie-signature's HMAC-SHA256 of `<sid>`,
 * base64 without padding, under one of `secrets`, compared in constant time. Browsers may send
 * several cookies of one name (other paths): the first one that verifies counts. `null`: none.
 */
export function verifyLegacyCookie(
  values: readonly string[],
  secrets: readonly string[],
): string | null {
  for (const raw of values) {
    const sid = unsign(decode(raw), secrets)
    if (sid !== null) return sid
  }
  return null
}

/** `cookie.parse`'s decoding: `decodeURIComponent` when there is a `%`, the raw value if that fails. */
function decode(value: string): string {
  if (!value.includes('%')) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

function unsign(value: string, secrets: readonly string[]): string | null {
  if (!value.startsWith('s:')) return null
  const signed = value.slice(2)
  const dot = signed.lastIndexOf('.')
  if (dot <= 0) return null
  const sid = signed.slice(0, dot)
  const signature = signed.slice(dot + 1)
  let match = false
  // Every secret is tried, whichever matches: the time taken does not say which one did.
  for (const secret of secrets) {
    if (timingSafeEqual(sign(sid, secret), signature)) match = true
  }
  return match ? sid : null
}

/** cookie-signature's signature: HMAC-SHA256, base64, trailing `=` removed. */
export function sign(value: string, secret: string): string {
  return createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')
}

/** The `Set-Cookie` that deletes the legacy cookie: its name, path and domain, expired. */
export function clearingCookie(
  name: string,
  options: Required<Pick<LegacyCookieOptions, 'path' | 'sameSite' | 'partitioned'>> &
    Pick<LegacyCookieOptions, 'domain'>,
  secure: boolean,
): string {
  const attributes: CookieAttributes = {
    name,
    domain: options.domain,
    path: options.path,
    secure: secure || options.sameSite === 'none' || options.partitioned,
    httpOnly: true,
    sameSite: options.sameSite,
    partitioned: options.partitioned,
    persistent: true,
    priority: undefined,
  }
  return serializeCookie(attributes, '', 0)
}
