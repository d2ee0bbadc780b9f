import { CsrfTokenError } from '@tessera/core'
import {
  type CsrfOptions,
  type CsrfPolicy,
  parseTokenBody,
  readWebBody,
  resolveCsrfPolicy,
  SessionMiddlewareMissingError,
  tokenBodyKind,
  tokenField,
} from '@tessera/core/adapter'
import type { Context, Env, MiddlewareHandler } from 'hono'
import { requestSessionOf } from './session-middleware.js'

/**
 * Synchronizer-token CSRF protection; mount it after {@link session}. Unsafe methods
 * (everything but GET, HEAD, OPTIONS, TRACE) must carry `c.var.session.csrfToken()` in the
 * `x-csrf-token` header or the `_csrf` field of a urlencoded, multipart or JSON body, else a
 * `CsrfTokenError` (403) is thrown.
 *
 * The body is read from a copy of the request (at most `bodyLimit` bytes, else
 * `FormBodyTooLargeError`, 413), so handlers can still read it with `c.req.parseBody()`,
 * `c.req.json()` or a validator.
 *
 * @example
 * ```ts
 * app.use(session({ secret: process.env.SESSION_SECRET! }))
 * app.use(csrf())
 * ```
 */
export function csrf<E extends Env = Env>(options: CsrfOptions = {}): MiddlewareHandler<E> {
  const policy = resolveCsrfPolicy(options)
  return async (c, next) => {
    if (!policy.needsToken(c.req.method)) return next()
    const rs = requestSessionOf(c as unknown as Context)
    if (!rs) {
      throw new SessionMiddlewareMissingError(
        'csrf()',
        'mount app.use(session({ ... })) from @tessera/hono before it.',
      )
    }
    const token = c.req.header(policy.header) || (await bodyToken(c as unknown as Context, policy))
    if (!rs.session.verifyCsrfToken(token)) throw new CsrfTokenError()
    return next()
  }
}

async function bodyToken(c: Context, policy: CsrfPolicy): Promise<string | undefined> {
  const contentType = c.req.header('content-type') ?? ''
  const kind = tokenBodyKind(contentType)
  if (kind === null) return undefined
  const request = c.req.raw
  if (request.bodyUsed) {
    // An earlier handler read it through HonoRequest, which caches parsed bodies.
    const body: unknown = kind === 'json' ? await c.req.json() : await c.req.parseBody()
    return tokenField(body, policy.field)
  }
  const declared = Number(c.req.header('content-length')) || null
  const bytes = await readWebBody(request.clone().body, policy.bodyLimit, declared)
  return tokenField(await parseTokenBody(bytes, kind, contentType), policy.field)
}
