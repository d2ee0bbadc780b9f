import type { SessionCookieOptions } from '../options/session-options.js'

/** Resolved cookie attributes. */
export interface CookieAttributes {
  name: string
  domain: string | undefined
  path: string
  secure: boolean
  httpOnly: boolean
  sameSite: 'strict' | 'lax' | 'none'
  partitioned: boolean
  persistent: boolean
  /** Chrome's `Priority` attribute; absent by default. */
  priority: 'low' | 'medium' | 'high' | undefined
}

export function resolveCookieAttributes(options: SessionCookieOptions = {}): CookieAttributes {
  return {
    name: options.name ?? 'tessera.sid',
    domain: options.domain,
    path: options.path ?? '/',
    secure: options.secure ?? true,
    httpOnly: options.httpOnly ?? true,
    sameSite: options.sameSite ?? 'lax',
    partitioned: options.partitioned ?? false,
    persistent: options.persistent ?? true,
    priority: options.priority,
  }
}

/** At most this many same-name cookies are considered (browsers may send several paths' worth). */
const MAX_CANDIDATES = 4

/**
 * The values of cookie `name` in a Cookie header, without decoding (session values are
 * base64url and need none). Scans the header once; never throws on any input.
 */
export function readCookieValues(header: string | null | undefined, name: string): string[] {
  const found: string[] = []
  if (!header || typeof header !== 'string') return found
  let start = 0
  const length = header.length
  while (start < length && found.length < MAX_CANDIDATES) {
    let end = header.indexOf(';', start)
    if (end === -1) end = length
    const eq = header.indexOf('=', start)
    if (eq !== -1 && eq < end) {
      let nameStart = start
      let nameEnd = eq
      while (nameStart < nameEnd && header.charCodeAt(nameStart) === 32) nameStart++
      while (nameEnd > nameStart && header.charCodeAt(nameEnd - 1) === 32) nameEnd--
      if (nameEnd - nameStart === name.length && header.startsWith(name, nameStart)) {
        let valueStart = eq + 1
        let valueEnd = end
        while (valueStart < valueEnd && header.charCodeAt(valueStart) === 32) valueStart++
        while (valueEnd > valueStart && header.charCodeAt(valueEnd - 1) === 32) valueEnd--
        if (header.charCodeAt(valueStart) === 34 && header.charCodeAt(valueEnd - 1) === 34) {
          valueStart++
          valueEnd--
        }
        found.push(header.slice(valueStart, valueEnd))
      }
    }
    start = end + 1
  }
  return found
}

/** A Set-Cookie header value; `maxAgeMs` undefined gives a browser-session cookie, 0 deletes. */
export function serializeCookie(
  attributes: CookieAttributes,
  value: string,
  maxAgeMs: number | undefined,
): string {
  let cookie = `${attributes.name}=${value}; Path=${attributes.path}`
  if (maxAgeMs !== undefined) {
    const seconds = Math.max(0, Math.round(maxAgeMs / 1000))
    cookie += `; Max-Age=${seconds}`
    if (seconds === 0) cookie += '; Expires=Thu, 01 Jan 1970 00:00:00 GMT'
  }
  if (attributes.domain) cookie += `; Domain=${attributes.domain}`
  if (attributes.httpOnly) cookie += '; HttpOnly'
  if (attributes.secure) cookie += '; Secure'
  cookie += `; SameSite=${attributes.sameSite === 'lax' ? 'Lax' : attributes.sameSite === 'strict' ? 'Strict' : 'None'}`
  if (attributes.partitioned) cookie += '; Partitioned'
  if (attributes.priority) {
    cookie += `; Priority=${attributes.priority === 'high' ? 'High' : attributes.priority === 'low' ? 'Low' : 'Medium'}`
  }
  return cookie
}
