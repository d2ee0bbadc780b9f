import { SessionConfigError, type SessionOptions } from '@tessera/core'
import { type CookieOverridesFor, resolveExpressCookie } from './express-cookie-options.js'
import type { ExpressSessionOptions } from './express-session-options.js'

/** express-session options Tessera does not take, each value it refuses, and what to do instead. */
const REFUSED: ReadonlyArray<[option: string, accepts: unknown, hint: string]> = [
  [
    'resave',
    false,
    'Tessera writes only what changed and merges concurrent writes; remove it or set it to false.',
  ],
  [
    'saveUninitialized',
    false,
    'Tessera stores a session only once it holds data; remove it or set it to false.',
  ],
  [
    'unset',
    'destroy',
    "`req.session = null` always deletes the session; remove it or set it to 'destroy'.",
  ],
  ['genid', undefined, 'ids are always 256 bits from the CSPRNG (and stored hashed); remove it.'],
]

/** Express's options split into the engine's and the per-request cookie attributes. */
export interface TranslatedOptions {
  engineOptions: SessionOptions
  overridesFor: CookieOverridesFor | undefined
}

/**
 * Takes an express-session configuration as it is wherever Tessera does the same thing
 * (`name`, `resave: false`, `saveUninitialized: false`, `unset: 'destroy'`, `rolling`,
 * `cookie.maxAge`, `'auto'` cookie attributes), and fails with what to do for the rest.
 */
export function translateExpressOptions(
  options: Omit<ExpressSessionOptions, 'proxy' | 'onError'>,
): TranslatedOptions {
  if (!options || typeof options !== 'object') {
    return { engineOptions: options as SessionOptions, overridesFor: undefined }
  }
  const {
    name,
    resave,
    saveUninitialized,
    unset,
    cookie: cookieOption,
    ...rest
  } = options as typeof options & { genid?: unknown }
  for (const [option, accepts, hint] of REFUSED) {
    const value = (options as Record<string, unknown>)[option]
    if (value !== undefined && value !== accepts) {
      throw new SessionConfigError(
        option,
        `is an express-session option Tessera does not support as given; ${hint}`,
      )
    }
  }
  delete (rest as { genid?: unknown }).genid
  const { cookie, idleTimeout, overridesFor } = resolveExpressCookie(cookieOption, rest.idleTimeout)
  const engineOptions: SessionOptions = { ...rest, idleTimeout }
  if (idleTimeout === undefined) delete engineOptions.idleTimeout
  if (cookie !== undefined) engineOptions.cookie = cookie
  if (name !== undefined) {
    if (cookie?.name !== undefined && cookie.name !== name) {
      throw new SessionConfigError(
        'name',
        `is the cookie name, and \`cookie.name\` says another ("${cookie.name}"); give one.`,
      )
    }
    engineOptions.cookie = { ...engineOptions.cookie, name }
  }
  return { engineOptions, overridesFor }
}
