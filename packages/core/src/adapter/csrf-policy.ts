import { SessionConfigError } from '../errors.js'

/**
 * Options of every adapter's `csrf()`: synchronizer-token CSRF protection with the token in
 * the session. The same names and defaults on Express, Koa and Hono.
 *
 * @example
 * ```ts
 * import { csrf } from '@tessera/express' // or '@tessera/koa', '@tessera/hono'
 *
 * app.use(csrf({ header: 'x-xsrf-token', field: '_token', bodyLimit: 16 * 1024 }))
 * ```
 */
export interface CsrfOptions {
  /** Request header that carries the token (for `fetch` and API clients). Default `'x-csrf-token'`. */
  header?: string
  /** Form or JSON body field that carries the token. Default `'_csrf'`. */
  field?: string
  /**
   * Methods that need no token. Default `['GET', 'HEAD', 'OPTIONS', 'TRACE']`: every other
   * method needs one, including extension methods such as `PROPFIND`.
   */
  safeMethods?: readonly string[]
  /**
   * Largest body, in bytes, `csrf()` reads itself to find the field when no body parser ran
   * before it. A larger body fails with `FormBodyTooLargeError` (413) unless the token came in
   * the header. Default 102400 (100 KiB, body-parser's default).
   */
  bodyLimit?: number
}

/** {@link CsrfOptions} validated, with defaults. */
export interface CsrfPolicy {
  /** Lower-case header name. */
  readonly header: string
  readonly field: string
  readonly bodyLimit: number
  /** Whether a request with `method` must carry the token. */
  needsToken(method: string): boolean
}

const DEFAULT_SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS', 'TRACE']
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/
const KNOWN: Readonly<Record<string, true>> = {
  header: true,
  field: true,
  safeMethods: true,
  bodyLimit: true,
}
const RENAMED: Readonly<Record<string, string>> = {
  methods:
    'renamed to `safeMethods`, which lists the methods that need NO token (default GET, HEAD, OPTIONS, TRACE); every other method needs one.',
  ignoreMethods: 'is called `safeMethods` here (the methods that need no token).',
}

/** Validates `csrf()` options; a mistake fails at start-up with a {@link SessionConfigError}. */
export function resolveCsrfPolicy(options: CsrfOptions = {}): CsrfPolicy {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('csrf', 'expected an options object or nothing.')
  }
  for (const key of Object.keys(options)) {
    if (KNOWN[key]) continue
    throw new SessionConfigError(
      `csrf.${key}`,
      RENAMED[key] ?? `unknown option. Known options: ${Object.keys(KNOWN).join(', ')}.`,
    )
  }
  const header = (options.header ?? 'x-csrf-token').toLowerCase()
  const field = options.field ?? '_csrf'
  const bodyLimit = options.bodyLimit ?? 102_400
  if (!HEADER_NAME.test(header)) {
    throw new SessionConfigError('csrf.header', 'expected an HTTP header name.')
  }
  if (typeof field !== 'string' || field.length === 0) {
    throw new SessionConfigError('csrf.field', 'expected a non-empty form field name.')
  }
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 0) {
    throw new SessionConfigError('csrf.bodyLimit', 'expected a whole number of bytes.')
  }
  const safeMethods = options.safeMethods ?? DEFAULT_SAFE_METHODS
  if (!Array.isArray(safeMethods) || safeMethods.some((m) => typeof m !== 'string')) {
    throw new SessionConfigError(
      'csrf.safeMethods',
      "expected a list of methods, e.g. ['GET', 'HEAD'].",
    )
  }
  const safe = new Set(safeMethods.map((method) => method.toUpperCase()))
  return {
    header,
    field,
    bodyLimit,
    needsToken: (method) => !safe.has(method.toUpperCase()),
  }
}
