import type { IncomingMessage } from 'node:http'
import {
  type CookieOverrides,
  SessionConfigError,
  type SessionCookieOptions,
  type SessionOptions,
} from '@tessera/core'

/**
 * `cookie` of Express's {@link session}: core's cookie options with express-session's
 * spellings. `secure: 'auto'` sends `Secure` exactly when the request is HTTPS (following
 * `proxy` / `trust proxy`); `sameSite: 'auto'` is `None` on HTTPS and `Lax` on HTTP;
 * `sameSite: true` is `'strict'`; `maxAge` (ms) is the idle timeout, `null` a browser-session
 * cookie.
 *
 * @example
 * ```ts
 * app.use(session({ secret, cookie: { secure: 'auto', sameSite: 'auto', maxAge: 3_600_000 } }))
 * ```
 */
export interface ExpressCookieOptions
  extends Omit<SessionCookieOptions, 'secure' | 'sameSite' | 'persistent'> {
  secure?: boolean | 'auto'
  sameSite?: 'strict' | 'lax' | 'none' | 'auto' | true
  /** `false`: a browser-session cookie (no Max-Age); same as `maxAge: null`. */
  persistent?: boolean
  /**
   * express-session's cookie lifetime in ms: Tessera's `idleTimeout` (give one or the other).
   * `null` makes the cookie a browser-session cookie.
   */
  maxAge?: number | null
}

/**
 * What a cookie function (express-session 1.19: `cookie: (req) => ({ ... })`) may return: the
 * attributes one response may set differently. The name and the lifetime are the same for
 * every request, so they belong in the static options.
 */
export type ExpressCookieAttributes = Pick<
  ExpressCookieOptions,
  'secure' | 'sameSite' | 'httpOnly' | 'path' | 'domain' | 'partitioned' | 'priority'
>

/** The connection facts a request's cookie attributes depend on. */
export interface CookieRequestInfo {
  req: IncomingMessage
  /** Whether the request is known to be HTTPS (see `ExpressSessionOptions.proxy`). */
  secure: boolean
}

/** Per-request cookie attributes, or `undefined` when the options are the same for all. */
export type CookieOverridesFor = (info: CookieRequestInfo) => CookieOverrides | undefined

const ATTRIBUTES = new Set([
  'secure',
  'sameSite',
  'httpOnly',
  'path',
  'domain',
  'partitioned',
  'priority',
])

/**
 * Splits Express's cookie option into what the engine takes and what is decided per request
 * (`'auto'` values, a cookie function). Throws `SessionConfigError` for what cannot work.
 */
export function resolveExpressCookie(
  option: ExpressCookieOptions | ((req: IncomingMessage) => ExpressCookieAttributes) | undefined,
  idleTimeout: SessionOptions['idleTimeout'],
): {
  cookie: SessionCookieOptions | undefined
  idleTimeout: SessionOptions['idleTimeout']
  overridesFor: CookieOverridesFor | undefined
} {
  if (typeof option === 'function') {
    const cookieFunction = option
    return {
      cookie: undefined,
      idleTimeout,
      overridesFor: ({ req, secure }) => attributesFor(cookieFunction(req), secure, 'cookie(req)'),
    }
  }
  if (option === undefined || option === null || typeof option !== 'object') {
    return {
      cookie: option as SessionCookieOptions | undefined,
      idleTimeout,
      overridesFor: undefined,
    }
  }
  const { maxAge, expires, secure, sameSite, ...rest } = option as ExpressCookieOptions & {
    expires?: unknown
  }
  if (expires !== undefined) {
    throw new SessionConfigError(
      'cookie.expires',
      'a fixed date would expire every session at once (express-session warns against it too); give `cookie.maxAge` or `idleTimeout`.',
    )
  }
  const cookie: SessionCookieOptions = { ...rest }
  if (maxAge !== undefined) {
    if (maxAge === null) cookie.persistent = false
    else if (idleTimeout !== undefined) {
      throw new SessionConfigError(
        'cookie.maxAge',
        'give either `cookie.maxAge` (express-session) or `idleTimeout`, not both: they are the same lifetime.',
      )
    } else if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge <= 0) {
      throw new SessionConfigError(
        'cookie.maxAge',
        'expected a positive number of milliseconds or null.',
      )
    } else idleTimeout = maxAge
  }
  const autoSecure = secure === 'auto'
  const autoSameSite = sameSite === 'auto'
  if (!autoSecure && secure !== undefined) cookie.secure = secure
  if (sameSite === true) cookie.sameSite = 'strict'
  else if (!autoSameSite && sameSite !== undefined) cookie.sameSite = sameSite
  if (autoSecure) {
    const name = cookie.name ?? ''
    if (name.startsWith('__Host-') || name.startsWith('__Secure-')) {
      throw new SessionConfigError(
        'cookie.secure',
        `a ${name.slice(0, name.indexOf('-') + 1)} cookie must always be Secure: use secure: true (browsers accept Secure cookies on http://localhost).`,
      )
    }
    if (cookie.sameSite === 'none' || cookie.partitioned) {
      throw new SessionConfigError(
        'cookie.sameSite',
        "SameSite=None and Partitioned need a Secure cookie, which secure: 'auto' does not send over HTTP: use sameSite: 'auto' (None on HTTPS, Lax on HTTP), or secure: true.",
      )
    }
  }
  if (autoSameSite && cookie.secure === false) {
    throw new SessionConfigError(
      'cookie.sameSite',
      "sameSite: 'auto' sends SameSite=None on HTTPS, which needs a Secure cookie: use secure: true or 'auto'.",
    )
  }
  if (!autoSecure && !autoSameSite) return { cookie, idleTimeout, overridesFor: undefined }
  return {
    cookie,
    idleTimeout,
    overridesFor: ({ secure: https }) => ({
      ...(autoSecure ? { secure: https } : {}),
      ...(autoSameSite ? { sameSite: https ? ('none' as const) : ('lax' as const) } : {}),
    }),
  }
}

/** A cookie function's result as overrides; throws a TypeError naming what is wrong. */
function attributesFor(
  result: ExpressCookieAttributes | undefined,
  https: boolean,
  where: string,
): CookieOverrides | undefined {
  if (result === undefined || result === null) return undefined
  if (typeof result !== 'object')
    throw new TypeError(`${where} must return an object of cookie attributes.`)
  const overrides: CookieOverrides = {}
  for (const [name, value] of Object.entries(result)) {
    if (value === undefined) continue
    if (!ATTRIBUTES.has(name)) {
      throw new TypeError(
        `${where} returned \`${name}\`, which cannot change per request; a cookie function may set ${[...ATTRIBUTES].join(', ')}. Put the name in \`cookie: { name }\` and lifetimes in \`idleTimeout\` (or req.session.cookie.maxAge).`,
      )
    }
    if (name === 'secure') overrides.secure = value === 'auto' ? https : (value as boolean)
    else if (name === 'sameSite') {
      overrides.sameSite =
        value === 'auto'
          ? https
            ? 'none'
            : 'lax'
          : value === true
            ? 'strict'
            : (value as 'strict' | 'lax' | 'none')
    } else (overrides as Record<string, unknown>)[name] = value
  }
  return overrides
}
