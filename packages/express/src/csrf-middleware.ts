import type { IncomingMessage, ServerResponse } from 'node:http'
import { CsrfTokenError, SessionConfigError } from '@tessera/core'
import type { CsrfOptions } from './csrf-options.js'
import { SessionMiddlewareMissingError } from './errors.js'
import type { RequestSessionObject } from './express-session.js'
import { bodyConsumed, isUrlencoded, readFormBody } from './form-body.js'
import { sessionHandleOf } from './session-proxy.js'

const DEFAULT_SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS', 'TRACE']
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/

interface CsrfRequest extends IncomingMessage {
  session?: RequestSessionObject | null
  body?: unknown
  csrfToken?: () => string
}

/** The Express middleware {@link csrf} returns. */
export type CsrfMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void

/**
 * Synchronizer-token CSRF protection, with the token kept in the session. Unsafe methods
 * (everything but GET, HEAD, OPTIONS, TRACE) must carry the session's token in the
 * `x-csrf-token` header or the `_csrf` form field, else Express's error handling gets a
 * `CsrfTokenError` (status 403).
 *
 * Views get the token as `res.locals.csrfToken` (created on first read, so pages that never
 * show it create no session) and routes as `req.csrfToken()`. The field is read from
 * `req.body` when a body parser ran; otherwise an urlencoded form is read here (up to
 * `bodyLimit` bytes) and left in `req.body`. Multipart forms need the header, or a multipart
 * parser mounted before `csrf()`.
 *
 * @example
 * ```ts
 * app.use(session({ secret: process.env.SESSION_SECRET! }))
 * app.use(csrf())
 * ```
 */
export function csrf(options: CsrfOptions = {}): CsrfMiddleware {
  const header = (options.header ?? 'x-csrf-token').toLowerCase()
  const field = options.field ?? '_csrf'
  const bodyLimit = options.bodyLimit ?? 65_536
  if (!HEADER_NAME.test(header))
    throw new SessionConfigError('csrf.header', 'expected an HTTP header name.')
  if (typeof field !== 'string' || field.length === 0) {
    throw new SessionConfigError('csrf.field', 'expected a non-empty form field name.')
  }
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 0) {
    throw new SessionConfigError('csrf.bodyLimit', 'expected a whole number of bytes.')
  }
  const safe = new Set(
    (options.safeMethods ?? DEFAULT_SAFE_METHODS).map((method) => method.toUpperCase()),
  )

  return (req, res, next) => {
    const request = req as CsrfRequest
    if (!sessionHandleOf(request.session)) {
      next(new SessionMiddlewareMissingError('csrf()'))
      return
    }
    const current = (): RequestSessionObject => {
      const value = request.session
      if (!value) throw new SessionMiddlewareMissingError('req.csrfToken()')
      return value
    }
    request.csrfToken = () => current().csrfToken()
    const locals = (res as { locals?: Record<string, unknown> }).locals
    if (locals && !Object.hasOwn(locals, 'csrfToken')) {
      Object.defineProperty(locals, 'csrfToken', {
        configurable: true,
        enumerable: true,
        get: () => current().csrfToken(),
        set(value: unknown) {
          Object.defineProperty(locals, 'csrfToken', {
            value,
            writable: true,
            enumerable: true,
            configurable: true,
          })
        },
      })
    }
    if (safe.has((req.method ?? 'GET').toUpperCase())) {
      next()
      return
    }
    const verify = (token: unknown): void => {
      const valid = typeof token === 'string' && current().verifyCsrfToken(token)
      next(valid ? undefined : new CsrfTokenError())
    }
    const fromHeader = req.headers[header]
    if (typeof fromHeader === 'string' && fromHeader.length > 0) {
      verify(fromHeader)
      return
    }
    const fromBody = fieldOf(request.body, field)
    if (fromBody !== undefined || bodyConsumed(req) || !isUrlencoded(req)) {
      verify(fromBody)
      return
    }
    readFormBody(req, bodyLimit).then(
      (body) => verify(body[field]),
      (error: unknown) => next(error),
    )
  }
}

function fieldOf(body: unknown, field: string): unknown {
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, field)) return undefined
  const value = (body as Record<string, unknown>)[field]
  return Array.isArray(value) ? value[0] : value
}
