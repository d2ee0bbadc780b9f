import { validateCookie } from '../options/resolved-session-options.js'
import type { CookieOverrides } from '../request/request-session.js'
import type { CookieAttributes } from './cookie.js'

/**
 * The configured attributes with one response's overrides, checked like the options (a
 * `__Host-` cookie stays Secure, `SameSite=None` needs Secure); throws `SessionConfigError`.
 */
export function cookieWith(base: CookieAttributes, overrides: CookieOverrides): CookieAttributes {
  const cookie: CookieAttributes = { ...base }
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) (cookie as unknown as Record<string, unknown>)[name] = value
  }
  validateCookie(cookie)
  return cookie
}
