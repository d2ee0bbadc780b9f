import { createHash, createHmac } from 'node:crypto'

/** The suite's session secret (at least 32 characters, as the engine requires). */
export const SUITE_SECRET = 'security-suite-secret-0123456789abcdefghij'
/** The engine's default cookie name. */
export const COOKIE_NAME = 'tessera.sid'

/** One `Set-Cookie` line, parsed: name, value and attributes (lower-case names; flags are `true`). */
export interface ParsedSetCookie {
  name: string
  value: string
  attributes: Map<string, string | true>
}

export function parseSetCookie(line: string): ParsedSetCookie {
  const [pair = '', ...parts] = line.split(';').map((part) => part.trim())
  const eq = pair.indexOf('=')
  const attributes = new Map<string, string | true>()
  for (const part of parts) {
    if (part.length === 0) continue
    const at = part.indexOf('=')
    if (at < 0) attributes.set(part.toLowerCase(), true)
    else attributes.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim())
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes }
}

/** The response's `Set-Cookie` lines for cookie `name`, parsed. */
export function sessionCookiesOf(response: Response, name = COOKIE_NAME): ParsedSetCookie[] {
  return response.headers
    .getSetCookie()
    .map(parseSetCookie)
    .filter((cookie) => cookie.name === name)
}

/** True when the response deletes cookie `name` (empty value or Max-Age=0). */
export function clearsCookie(response: Response, name = COOKIE_NAME): boolean {
  return sessionCookiesOf(response, name).some(
    (cookie) => cookie.value === '' || cookie.attributes.get('max-age') === '0',
  )
}

/** The session id inside a signed cookie value `<id>.<signature>`. */
export function idOf(signedValue: string): string {
  return signedValue.slice(0, signedValue.indexOf('.'))
}

/** The key a server store keeps the session of `signedValue` under: SHA-256 of the id, base64url. */
export function storeKeyOf(signedValue: string): string {
  return createHash('sha256').update(idOf(signedValue), 'utf8').digest('base64url')
}

/** `<id>.<HMAC-SHA256(secret, id)>`: a correctly signed cookie value for any id. */
export function signId(id: string, secret = SUITE_SECRET): string {
  return `${id}.${createHmac('sha256', secret).update(id, 'utf8').digest('base64url')}`
}
