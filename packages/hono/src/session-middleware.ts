import type {
  RequestSession,
  ResponseHeaders,
  SessionData,
  SessionEngine,
  SessionOptions,
} from '@tessera/core'
import { engineFrom, mergeVary } from '@tessera/core/adapter'
import type { Context, MiddlewareHandler } from 'hono'
import { withResponse } from './error-response.js'
import { routeSession } from './route-session.js'
import type { SessionEnv } from './session-env.js'

/** The middleware {@link session} returns: Hono middleware, plus the engine it drives. */
export interface HonoSessionMiddleware<Data extends object = SessionData>
  extends MiddlewareHandler<SessionEnv<Data>> {
  /** For administration outside requests: list or revoke a user's sessions, `close()`. */
  readonly engine: SessionEngine<Data>
}

/** Each request's engine session, for `csrf()`. Keyed by the raw Request. */
const requestSessions = new WeakMap<Request, RequestSession<SessionData>>()

/**
 * Sets `c.get('session')` for Hono 4 apps on any runtime (Node, Bun, Deno, Workers): loaded
 * before the rest of the chain, saved after it, its headers added to `c.res`.
 *
 * Pass {@link SessionOptions} or an engine made by `createSessionEngine` (to share it with
 * administration code). A store failure answers 503 through Hono's error handling: the
 * `SessionStoreError` reaches `app.onError` as is (`err.status` is 503), and Hono's default
 * handler answers with its `getResponse()`.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { session, type SessionEnv } from '@tessera/hono'
 *
 * type Data = { views: number }
 *
 * const app = new Hono<SessionEnv<Data>>()
 * app.use(session<Data>({ secret: process.env.SESSION_SECRET! }))
 * app.get('/', (c) => {
 *   const views = c.var.session.update('views', (n) => (n ?? 0) + 1)
 *   return c.text(`${views} views`)
 * })
 * ```
 */
export function session<Data extends object = SessionData>(
  options: SessionOptions | SessionEngine<Data>,
): HonoSessionMiddleware<Data> {
  const engine = engineFrom<Data>(options)
  const middleware: MiddlewareHandler<SessionEnv<Data>> = async (c, next) => {
    const rs = engine.start({
      cookie: c.req.header('cookie'),
      userAgent: c.req.header('user-agent'),
      header: (name) => c.req.header(name),
    })
    try {
      await rs.load()
    } catch (error) {
      throw withResponse(error)
    }
    c.set('session', routeSession(rs.session))
    requestSessions.set(c.req.raw, rs as unknown as RequestSession<SessionData>)
    await next()
    let headers: ResponseHeaders
    try {
      headers = await rs.commit({ status: c.res.status })
    } catch (error) {
      throw withResponse(error)
    }
    applyHeaders(c as unknown as Context, headers)
  }
  Object.defineProperty(middleware, 'engine', { value: engine, enumerable: true })
  return middleware as HonoSessionMiddleware<Data>
}

/** The request session {@link session} stored on `c`, for {@link csrf}. */
export function requestSessionOf(c: Context): RequestSession<SessionData> | undefined {
  return requestSessions.get(c.req.raw)
}

/**
 * Adds the commit's headers to `c.res`. A response with immutable headers (one returned by
 * `fetch()` or `Response.redirect()`) is copied into a new one first.
 */
function applyHeaders(c: Context, headers: ResponseHeaders): void {
  // No headers on a protocol switch (WebSocket upgrade): the session is saved all the same.
  if (headers.length === 0 || c.res.status < 200) return
  try {
    addTo(c.res.headers, headers)
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    c.res = new Response(c.res.body, c.res)
    addTo(c.res.headers, headers)
  }
}

function addTo(target: Headers, headers: ResponseHeaders): void {
  for (const [name, value] of headers) {
    if (name === 'set-cookie') target.append(name, value)
    else if (name === 'vary') target.set('vary', mergeVary(target.get('vary'), value))
    else target.set(name, value)
  }
}
