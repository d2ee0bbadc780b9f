import type { IncomingMessage, ServerResponse } from 'node:http'
import { CsrfTokenError } from '@tessera/core'
import {
  type CsrfOptions,
  parseTokenBody,
  readNodeBody,
  resolveCsrfPolicy,
  tokenBodyKind,
  tokenField,
} from '@tessera/core/adapter'
import type { ExpressSession } from './express-session.js'
import { bodyConsumed, missingSession } from './request-body.js'
import { currentSession, handleOf } from './request-session-guard.js'

interface CsrfRequest extends IncomingMessage {
  session?: ExpressSession | null
  body?: unknown
  _body?: boolean
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
 * `x-csrf-token` header or the `_csrf` field of a form or JSON body, else Express's error
 * handling gets a `CsrfTokenError` (status 403).
 *
 * Views get the token as `res.locals.csrfToken` (created on first read, so pages that never
 * show it create no session) and routes as `req.csrfToken()`. The field is read from
 * `req.body` when a body parser ran; otherwise an urlencoded or JSON body is read here (up to
 * `bodyLimit` bytes, else `FormBodyTooLargeError`, 413) and left in `req.body`, where body
 * parsers mounted later find it. Multipart forms need the header, or a multipart parser
 * mounted before `csrf()`.
 *
 * @example
 * ```ts
 * app.use(session({ secret: process.env.SESSION_SECRET! }))
 * app.use(csrf())
 * ```
 */
export function csrf(options: CsrfOptions = {}): CsrfMiddleware {
  const policy = resolveCsrfPolicy(options)
  return (req, res, next) => {
    const request = req as CsrfRequest
    if (!handleOf(req)) {
      next(missingSession('csrf()'))
      return
    }
    const current = (): ExpressSession => {
      const value = currentSession(req)
      if (!value) throw missingSession('req.csrfToken()')
      return value
    }
    request.csrfToken = () => current().csrfToken()
    exposeToViews(res, current)
    if (!policy.needsToken(req.method ?? 'GET')) {
      next()
      return
    }
    const verify = (token: unknown): void => {
      const valid = typeof token === 'string' && current().verifyCsrfToken(token)
      next(valid ? undefined : new CsrfTokenError())
    }
    const fromHeader = req.headers[policy.header]
    if (typeof fromHeader === 'string' && fromHeader.length > 0) {
      verify(fromHeader)
      return
    }
    const contentType = req.headers['content-type'] ?? ''
    const kind = tokenBodyKind(contentType)
    if (request.body !== undefined || bodyConsumed(req) || kind === null || kind === 'multipart') {
      verify(tokenField(request.body, policy.field))
      return
    }
    readNodeBody(req, policy.bodyLimit, Number(req.headers['content-length']) || null)
      .then((bytes) => parseTokenBody(bytes, kind, contentType))
      .then(
        (body) => {
          // Left for later middleware: body-parser skips a request whose `_body` is set.
          request.body = body ?? {}
          request._body = true
          verify(tokenField(body, policy.field))
        },
        (error: unknown) => next(error),
      )
  }
}

/** `res.locals.csrfToken` for templates: created on first read, assignable like any local. */
function exposeToViews(res: ServerResponse, current: () => ExpressSession): void {
  const locals = (res as { locals?: Record<string, unknown> }).locals
  if (!locals || Object.hasOwn(locals, 'csrfToken')) return
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
