import { CsrfTokenError, type SessionData } from '@tessera/core'
import {
  type CsrfOptions,
  type CsrfPolicy,
  parseTokenBody,
  readNodeBody,
  resolveCsrfPolicy,
  SessionMiddlewareMissingError,
  tokenBodyKind,
  tokenField,
} from '@tessera/core/adapter'
import type { DefaultContext, DefaultState, Middleware, ParameterizedContext } from 'koa'
import { type KoaRequestSession, SESSION_STATE } from './session-middleware.js'

/** Koa's request with the fields body parsers (koa-bodyparser, @koa/bodyparser, koa-body) add. */
interface ParsedRequest {
  body?: unknown
  rawBody?: string
}

type KoaContext = ParameterizedContext<DefaultState, DefaultContext>

/**
 * Synchronizer-token CSRF protection; mount it after {@link session}. Unsafe methods
 * (everything but GET, HEAD, OPTIONS, TRACE) must carry `ctx.session.csrfToken()` in the
 * `x-csrf-token` header or the `_csrf` field of a urlencoded or JSON body, else a
 * `CsrfTokenError` (403) is thrown.
 *
 * A body parser mounted before `csrf()` is used as is. Without one, `csrf()` reads a
 * urlencoded or JSON body itself (up to `bodyLimit`, else `FormBodyTooLargeError`, 413) and
 * leaves it on `ctx.request.body` and `ctx.request.rawBody`, where later body parsers find it
 * and skip. Multipart forms need the header, or a multipart parser before `csrf()`.
 *
 * @example
 * ```ts
 * app.use(session({ secret: process.env.SESSION_SECRET! }))
 * app.use(csrf())
 * ```
 */
export function csrf<StateT = DefaultState, ContextT = DefaultContext>(
  options: CsrfOptions = {},
): Middleware<StateT, ContextT> {
  const policy = resolveCsrfPolicy(options)
  return async (context, next) => {
    const ctx = context as unknown as KoaContext
    if (!policy.needsToken(ctx.method)) return next()
    const state = (ctx as unknown as Record<symbol, KoaRequestSession<SessionData> | undefined>)[
      SESSION_STATE
    ]
    if (!state) {
      throw new SessionMiddlewareMissingError(
        'csrf()',
        'mount app.use(session({ ... })) from @tessera/koa before it.',
      )
    }
    const token = ctx.get(policy.header) || (await bodyToken(ctx, policy))
    if (!state.current.session.verifyCsrfToken(token)) throw new CsrfTokenError()
    return next()
  }
}

async function bodyToken(ctx: KoaContext, policy: CsrfPolicy): Promise<string | undefined> {
  const request = ctx.request as typeof ctx.request & ParsedRequest
  if (request.body !== undefined) return tokenField(request.body, policy.field)
  const contentType = ctx.get('content-type')
  const kind = tokenBodyKind(contentType)
  if (kind === null || kind === 'multipart') return undefined
  const declared = Number(ctx.get('content-length')) || null
  const bytes = await readNodeBody(ctx.req, policy.bodyLimit, declared)
  const body = await parseTokenBody(bytes, kind, contentType)
  request.body = body ?? {}
  request.rawBody = new TextDecoder().decode(bytes)
  return tokenField(body, policy.field)
}
