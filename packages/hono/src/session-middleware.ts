import {
  type RequestSession,
  type ResponseHeaders,
  SessionConfigError,
  type SessionData,
  type SessionEngine,
  type SessionOptions,
} from '@tessera/core'
import {
  callSite,
  canDeliverId,
  commitForResponse,
  createWarnOnce,
  describeMount,
  engineFrom,
  isLoopbackHost,
  isPromise,
  isSessionEngine,
  mergeVary,
  readyGate,
} from '@tessera/core/adapter'

import type { Context, MiddlewareHandler } from 'hono'
import { guardContextVar } from './context-session-guard.js'
import { withResponse } from './error-response.js'
import type { HonoAdapterOptions, HonoSessionOptions } from './hono-session-options.js'
import { routeSession } from './route-session.js'
import type { SessionEnv } from './session-env.js'

/** The middleware {@link session} returns: Hono middleware, plus the engine it drives. */
export interface HonoSessionMiddleware<Data extends object = SessionData>
  extends MiddlewareHandler<SessionEnv<Data>> {
  /** For administration outside requests: list or revoke a user's sessions, `close()`. */
  readonly engine: SessionEngine<Data>
}

/** Each request's engine session (for `csrf()`) and the `session()` that made it. */
const requestSessions = new WeakMap<
  Request,
  { rs: RequestSession<SessionData>; engine: unknown; mount: string }
>()

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
  options: HonoSessionOptions | SessionEngine<Data>,
  adapterOptions: HonoAdapterOptions = {},
): HonoSessionMiddleware<Data> {
  let engine: SessionEngine<Data>
  let proxy: boolean | undefined
  if (isSessionEngine<Data>(options)) {
    engine = options
    proxy = adapterOptions.proxy
  } else {
    const { proxy: proxyOption, ...engineOptions } = options ?? ({} as HonoSessionOptions)
    proxy = proxyOption ?? adapterOptions.proxy
    engine = engineFrom<Data>(engineOptions)
  }
  if (proxy !== undefined && typeof proxy !== 'boolean') {
    throw new SessionConfigError('proxy', 'expected true or false (trust X-Forwarded-Proto).')
  }
  const warn = createWarnOnce()
  const site = callSite()
  const waitReady = readyGate(engine)
  // Once, not per request: only a warning about a second mount ever reads it.
  const mountedFirst = describeMount(site, 'mounted first')
  guardContextVar()
  const { idHeader, cookie } = engine.options
  const deliverable = (c: Context, read: HeaderReader): boolean => {
    if (idHeader !== null || !cookie.secure) return true
    const host = read('host') ?? hostOf(c.req.url)
    if (isLoopbackHost(host)) return true
    const forwarded = proxy ? read('x-forwarded-proto')?.split(',')[0]?.trim() : undefined
    const secure = forwarded ? forwarded.toLowerCase() === 'https' : isHttps(c.req.url)
    if (canDeliverId(engine.options, { secure, host })) return true
    warn(
      'TESSERA_INSECURE_COOKIE',
      'A Secure session cookie was not sent: the request came over plain HTTP to a host that is not loopback (browsers accept Secure cookies over HTTP only from localhost, 127.0.0.1 and [::1]). Behind a TLS-terminating proxy, pass `proxy: true` to session(); for plain-HTTP development on another host name, set `cookie: { secure: false }`.',
    )
    return false
  }
  const middleware: MiddlewareHandler<SessionEnv<Data>> = async (c, next) => {
    const existing = requestSessions.get(c.req.raw)
    if (existing) {
      // Mounted twice: the first one already drives this request.
      if (existing.engine !== (engine as unknown)) {
        warn(
          'TESSERA_SESSION_MOUNTED_TWICE',
          `Two session() middlewares ran for ${c.req.method} ${c.req.path}: ${existing.mount} already set the session, so ${describeMount(site, `on ${c.req.routePath}`)} is ignored and its options do not apply; the data goes into the first one's session. Mount session() once (share its engine with \`session(engine)\`).`,
        )
      }
      await next()
      return
    }
    const waiting = waitReady()
    if (waiting) {
      try {
        await waiting
      } catch (error) {
        throw withResponse(error)
      }
    }
    const read = headerReader(c as unknown as Context)
    const rs = engine.start({
      cookie: read('cookie'),
      userAgent: read('user-agent'),
      header: read,
      ip: () => clientIp(c as unknown as Context, read, proxy),
    })
    if (!rs.loaded) {
      try {
        await rs.load()
      } catch (error) {
        throw withResponse(error)
      }
    }
    c.set('session', routeSession(rs))
    requestSessions.set(c.req.raw, {
      rs: rs as unknown as RequestSession<SessionData>,
      engine,
      mount: mountedFirst,
    })
    await next()
    let headers: ResponseHeaders
    try {
      const out = commitForResponse(rs, c.res.status, deliverable(c as unknown as Context, read))
      headers = isPromise(out) ? await out : out
    } catch (error) {
      throw withResponse(error)
    }
    applyHeaders(c as unknown as Context, headers)
  }
  Object.defineProperty(middleware, 'engine', { value: engine, enumerable: true })
  return middleware as HonoSessionMiddleware<Data>
}

type HeaderReader = (name: string) => string | undefined

/**
 * Reads request headers. On @hono/node-server, straight from Node's `IncomingMessage` (in
 * `c.env.incoming`): asking `c.req` would build the whole web `Request` and its `Headers`
 * for every request, which a route that never reads headers does not pay for. Elsewhere,
 * through `c.req.header`.
 */
function headerReader(c: Context): HeaderReader {
  const incoming = (c.env as { incoming?: { headers?: unknown } } | undefined)?.incoming
  const headers = incoming?.headers
  if (typeof headers === 'object' && headers !== null) {
    const raw = headers as Record<string, string | string[] | undefined>
    return (name) => {
      const value = raw[name]
      return Array.isArray(value) ? value.join(', ') : value
    }
  }
  return (name) => c.req.header(name)
}

function isHttps(url: string): boolean {
  return url.startsWith('https:')
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host
  } catch {
    return null
  }
}

/** The request session {@link session} stored on `c`, for {@link csrf}. */
export function requestSessionOf(c: Context): RequestSession<SessionData> | undefined {
  return requestSessions.get(c.req.raw)?.rs
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

/**
 * The client IP: with `proxy: true` the first `X-Forwarded-For` hop, else the socket's address
 * on @hono/node-server (other runtimes: unknown unless behind a proxy).
 */
function clientIp(c: Context, read: HeaderReader, proxy: boolean | undefined): string | undefined {
  if (proxy) {
    const forwarded = read('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming
  return incoming?.socket?.remoteAddress
}
