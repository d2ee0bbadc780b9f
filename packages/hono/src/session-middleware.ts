import {
  type RequestSession,
  SessionConfigError,
  type SessionData,
  type SessionEngine,
  type SessionOptions,
} from '@tessera/core'
import {
  commitForResponse,
  firstForwarded,
  isPromise,
  type MountedSession,
  SessionMount,
  splitAdapterOptions,
  withSessionHeaders,
} from '@tessera/core/adapter'
import type { Context, MiddlewareHandler } from 'hono'
import { guardContextVar } from './context-session-guard.js'
import type { HonoAdapterOptions, HonoSessionOptions } from './hono-session-options.js'
import type { SessionEnv } from './session-env.js'

/** The middleware {@link session} returns: Hono middleware, plus the engine it drives. */
export interface HonoSessionMiddleware<Data extends object = SessionData>
  extends MiddlewareHandler<SessionEnv<Data>> {
  /** For administration outside requests: list or revoke a user's sessions, `close()`. */
  readonly engine: SessionEngine<Data>
}

/** Each request's engine session (for `csrf()`), and the `session()` that made it. */
type RequestEntry = MountedSession & { rs: RequestSession<SessionData> }

/**
 * Where a request's entry lives: a property of the web `Request` (shared by every Hono app
 * and context that serves it). A `WeakMap` keyed by requests made every collection walk its
 * ephemeron table, which profiles showed as a large part of the garbage collector's time.
 */
const REQUEST_ENTRY = Symbol('tessera.hono.session')

type EntryCarrier = { [REQUEST_ENTRY]?: RequestEntry }

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
  const { forEngine, adapter } = splitAdapterOptions(options, adapterOptions, ['proxy'])
  const { proxy } = adapter
  if (proxy !== undefined && typeof proxy !== 'boolean') {
    throw new SessionConfigError('proxy', 'expected true or false (trust X-Forwarded-Proto).')
  }
  const mount = new SessionMount<Data>(forEngine, {
    accessor: 'the session',
    proxyFix: 'pass `proxy: true` to session()',
  })
  const { engine } = mount
  const { trackIp } = engine.options
  guardContextVar()
  const deliverable = (c: Context, read: HeaderReader): boolean => {
    // First: without a Host header (HTTP/2, `app.request()`) finding the host parses the URL.
    if (mount.alwaysDelivers) return true
    const secure = () => {
      const forwarded = proxy ? firstForwarded(read('x-forwarded-proto')) : undefined
      return forwarded ? forwarded.toLowerCase() === 'https' : c.req.url.startsWith('https:')
    }
    if (mount.canDeliverId(read('host') ?? hostOf(c.req.url), secure)) return true
    mount.warnInsecure()
    return false
  }
  const middleware: MiddlewareHandler<SessionEnv<Data>> = async (c, next) => {
    const raw = c.req.raw as EntryCarrier
    const existing = raw[REQUEST_ENTRY]
    if (existing) {
      mount.secondMount(existing, `${c.req.method} ${c.req.path}`, `on ${c.req.routePath}`)
      await next()
      return
    }
    const waiting = mount.waitReady()
    if (waiting) await waiting
    const read = headerReader(c as unknown as Context)
    const rs = engine.start({
      cookie: read('cookie'),
      userAgent: read('user-agent'),
      header: read,
      // Core asks for the address only with `trackIp`: most requests allocate no closure.
      ip: trackIp ? () => clientIp(c as unknown as Context, read, proxy) : undefined,
    })
    if (!rs.loaded) await rs.load()
    c.set('session', rs.session)
    raw[REQUEST_ENTRY] = {
      rs: rs as unknown as RequestSession<SessionData>,
      engine,
      mount: mount.first,
    }
    await next()
    const out = commitForResponse(rs, c.res.status, deliverable(c as unknown as Context, read))
    const res = withSessionHeaders(c.res, isPromise(out) ? await out : out)
    if (res !== c.res) c.res = res
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

function hostOf(url: string): string | null {
  try {
    return new URL(url).host
  } catch {
    return null
  }
}

/** The request session {@link session} stored on `c`, for {@link csrf}. */
export function requestSessionOf(c: Context): RequestSession<SessionData> | undefined {
  return (c.req.raw as EntryCarrier)[REQUEST_ENTRY]?.rs
}

/**
 * The client IP: with `proxy: true` the first `X-Forwarded-For` hop, else the socket's address
 * on @hono/node-server (other runtimes: unknown unless behind a proxy).
 */
function clientIp(c: Context, read: HeaderReader, proxy: boolean | undefined): string | undefined {
  if (proxy) {
    const forwarded = firstForwarded(read('x-forwarded-for'))
    if (forwarded) return forwarded
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming
  return incoming?.socket?.remoteAddress
}
