import { CsrfTokenError, type SessionData } from '@tessera/core'
import type { DefaultContext, DefaultState, Middleware, ParameterizedContext } from 'koa'
import type { CsrfOptions } from './csrf-options.js'
import { parseBody, readBody } from './read-body.js'
import { type KoaRequestSession, SESSION_STATE } from './session-middleware.js'

const DEFAULT_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE']

/** Koa's request with the fields body parsers (koa-bodyparser, @koa/bodyparser, koa-body) add. */
interface ParsedRequest {
  body?: unknown
  rawBody?: string
}

/**
 * Synchronizer-token CSRF protection; mount it after {@link session}. Requests with an unsafe
 * method must carry `ctx.session.csrfToken()` in the `x-csrf-token` header or the `_csrf`
 * field of a urlencoded or JSON body, else a `CsrfTokenError` (403) is thrown.
 *
 * A body parser mounted before `csrf()` is used as is. Without one, `csrf()` reads a
 * urlencoded or JSON body itself (up to `bodyLimit`) and leaves it on `ctx.request.body`
 * and `ctx.request.rawBody`, where later body parsers find it and skip. Multipart forms need
 * the header, or a multipart parser before `csrf()`.
 */
export function csrf<StateT = DefaultState, ContextT = DefaultContext>(
  options: CsrfOptions = {},
): Middleware<StateT, ContextT> {
  const header = (options.header ?? 'x-csrf-token').toLowerCase()
  const field = options.field ?? '_csrf'
  const methods = new Set((options.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase()))
  const bodyLimit = options.bodyLimit ?? 100 * 1024
  return async (context, next) => {
    const ctx = context as unknown as KoaContext
    if (!methods.has(ctx.method)) return next()
    const state = (ctx as unknown as Record<symbol, KoaRequestSession<SessionData> | undefined>)[
      SESSION_STATE
    ]
    if (!state) {
      throw new Error('csrf() needs the session: mount session() from @tessera/koa before csrf().')
    }
    const token = ctx.get(header) || (await bodyToken(ctx, field, bodyLimit))
    if (!state.current.session.verifyCsrfToken(token)) throw new CsrfTokenError()
    return next()
  }
}

type KoaContext = ParameterizedContext<DefaultState, DefaultContext>

async function bodyToken(
  ctx: KoaContext,
  field: string,
  limit: number,
): Promise<string | undefined> {
  const request = ctx.request as typeof ctx.request & ParsedRequest
  let body = request.body
  if (body === undefined) {
    const type = ctx.is('urlencoded', 'json')
    if (type !== 'urlencoded' && type !== 'json') return undefined
    const text = await readBody(ctx.req, limit)
    if (text === null) return undefined
    body = parseBody(text, type)
    request.body = body ?? {}
    request.rawBody = text
  }
  if (typeof body !== 'object' || body === null) return undefined
  const value = (body as Record<string, unknown>)[field]
  return typeof value === 'string' ? value : undefined
}
