import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type CookieOverrides,
  type MaybePromise,
  type RequestSession,
  type ResponseHeaders,
  SessionConfigError,
  type SessionEngine,
  type SessionOptions,
} from '@tessera/core'
import {
  commitForResponse,
  errorStatus,
  firstForwarded,
  isPromise,
  isSessionEngine,
  SessionMount,
  splitAdapterOptions,
} from '@tessera/core/adapter'
import { translateExpressOptions } from './engine-options.js'
import type { CookieOverridesFor } from './express-cookie-options.js'
import type { ExpressSession, SessionRecord } from './express-session.js'
import type { ExpressSessionOptions } from './express-session-options.js'
import { holdResponse, type ResponseHold } from './hold-response.js'
import {
  attachSession,
  guardInstalledExpress,
  guardRequestSession,
  handleOf,
  hasSlot,
  markOffCookiePath,
  sessionCleared,
} from './request-session-guard.js'
import { appendSetCookie, mergeVary } from './response-headers.js'
import { SessionHandle } from './session-proxy.js'

/** The Express middleware {@link session} returns; also carries the engine for administration. */
export interface ExpressSessionMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void
  /**
   * The engine behind the middleware: `listUserSessions`, `revokeUserSessions`, `on(event)`,
   * `close()`.
   */
  readonly engine: SessionEngine<SessionRecord>
}

interface SessionRequest extends IncomingMessage {
  session?: ExpressSession | null
  secure?: boolean
  baseUrl?: string
  originalUrl?: string
}

/** Where a middleware is mounted, as Express reports it (`req.baseUrl`; `/` at the app). */
function mountPath(req: SessionRequest): string {
  return req.baseUrl ? req.baseUrl : '/'
}

/**
 * Session middleware for Express 4 and 5, a drop-in replacement for express-session.
 *
 * The session is loaded before the next middleware runs (one store read, and none for a
 * request without a session id). Changes are saved before the response's headers go out,
 * whichever way the route responds (`send`, `json`, `redirect`, `end`, `writeHead`, streams),
 * so a redirect followed at once sees them. Store failures reach Express's error handling as a
 * `SessionStoreError` (status 503); a failure while saving after the route finished is
 * answered with a 503 by the middleware itself.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { session } from '@tessera/express'
 *
 * const app = express()
 * app.use(session({ secret: process.env.SESSION_SECRET! }))
 * app.get('/', (req, res) => {
 *   req.session.views = (req.session.views ?? 0) + 1
 *   res.json({ views: req.session.views })
 * })
 * ```
 */
export function session(
  options: ExpressSessionOptions | SessionEngine<SessionRecord>,
  adapterOptions: ExpressAdapterOptions = {},
): ExpressSessionMiddleware {
  const { forEngine, adapter } = splitAdapterOptions(options, adapterOptions, ['proxy', 'onError'])
  const { proxy, onError } = adapter
  let overridesFor: CookieOverridesFor | undefined
  let engineSource: SessionOptions | SessionEngine<SessionRecord>
  if (isSessionEngine<SessionRecord>(forEngine)) engineSource = forEngine
  else {
    const translated = translateExpressOptions(forEngine)
    overridesFor = translated.overridesFor
    engineSource = translated.engineOptions
  }
  if (proxy !== undefined && typeof proxy !== 'boolean') {
    throw new SessionConfigError(
      'proxy',
      'expected true, false or undefined (follow Express `trust proxy`).',
    )
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new SessionConfigError('onError', 'expected a function (error, req) => void.')
  }
  const mount = new SessionMount<SessionRecord>(engineSource, {
    accessor: 'req.session',
    proxyFix: 'tell Express with app.set("trust proxy", ...) (or pass `proxy: true`)',
    mountFix:
      'Mount session() once, at the app (share its engine with `session(engine)` if a router needs it).',
  })
  const { engine } = mount
  const { cookie, idHeader, trackIp } = engine.options
  const report = onError ?? defaultReport
  guardInstalledExpress()

  const applyHeaders = (res: ServerResponse, headers: ResponseHeaders) => {
    for (const [name, value] of headers) {
      if (name === 'set-cookie') {
        appendSetCookie(res, value)
      } else if (name === 'vary') {
        mergeVary(res, value)
      } else {
        res.setHeader(name, value)
      }
    }
  }

  const middleware = (
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    const request = req as SessionRequest
    guardRequestSession(Object.getPrototypeOf(req))
    const existing = hasSlot(req) ? handleOf(req) : undefined
    if (existing) {
      // Mounted twice (app and router): the first one already drives this request.
      const where = `mounted at ${mountPath(request)}`
      mount.secondMount(existing, `${req.method} ${request.originalUrl ?? req.url}`, where)
      next()
      return
    }
    const waiting = mount.waitReady()
    if (waiting) waiting.then(() => handle(request, res, next), next)
    else handle(request, res, next)
  }

  /** One request's session, once the store's readiness check has been passed. */
  const handle = (
    req: SessionRequest,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    let rs: RequestSession<SessionRecord>
    let requestCookie: CookieOverrides | undefined
    try {
      requestCookie = overridesFor?.({ req, secure: isSecure(req, proxy) })
      // As express-session: no session outside the cookie's path (the browser would not send it).
      if (cookie.path !== '/' || requestCookie?.path !== undefined) {
        if (!onCookiePath(req, requestCookie?.path ?? cookie.path)) {
          markOffCookiePath(req)
          next()
          return
        }
      }
      // Core reads `header` only for `idFrom: { header }` and `ip` only with `trackIp`: a
      // request passes those functions only where they can be called.
      rs = engine.start({
        cookie: req.headers.cookie,
        userAgent: req.headers['user-agent'],
        header: idHeader ? (name) => firstValue(req.headers[name]) : undefined,
        // Express's `req.ip` follows `trust proxy`.
        ip: trackIp ? () => (req as { ip?: string }).ip ?? req.socket?.remoteAddress : undefined,
      })
    } catch (error) {
      next(error)
      return
    }
    const loaded = (): void => {
      const handle = new SessionHandle(rs.session, engine, mountOf(req), requestCookie, req)
      const commit = new SessionCommit(req, res, rs, handle)
      attachSession(req, handle)
      // Without an incoming id, or with one read only on first use, there is nothing to save
      // until the route uses the session.
      if (rs.hasIncomingId && !rs.readsOnUse) holdResponse(res, commit, handle)
      else handle.onFirstUse(() => holdResponse(res, commit, handle))
      next()
    }
    // A request without a session id needs no store read: go on at once.
    if (rs.loaded) loaded()
    else rs.load().then(loaded, next)
  }

  /** What `holdResponse` runs: the commit, its headers, and the answer when it fails. */
  class SessionCommit implements ResponseHold {
    constructor(
      private readonly req: SessionRequest,
      private readonly res: ServerResponse,
      private readonly rs: RequestSession<SessionRecord>,
      private readonly handle: SessionHandle,
    ) {}

    beforeHeaders(status: number): MaybePromise<(() => void) | undefined> {
      if (sessionCleared(this.req)) {
        // `req.session = null`: end the session, as koa-session and cookie-session do.
        return this.rs.session.destroy().then(() => this.commit(status))
      }
      return this.commit(status)
    }

    private commit(status: number): MaybePromise<(() => void) | undefined> {
      const { req, res, rs } = this
      const overrides = this.handle.cookieOverrides()
      const secureCookie = overrides?.secure ?? cookie.secure
      // In header mode no cookie is involved: the id header always reaches the client.
      const deliverable = mount.canDeliverId(
        req.headers.host,
        () => isSecure(req, proxy),
        secureCookie,
      )
      // A new session that cannot get its cookie is not stored at all (no orphan record).
      if (!deliverable && rs.session.isNew && rs.session.keys().length > 0) mount.warnInsecure()
      const headers = commitForResponse(rs, status, deliverable, overrides)
      if (isPromise(headers)) return headers.then((list) => () => applyHeaders(res, list))
      return headers.length === 0 ? undefined : () => applyHeaders(res, headers)
    }

    onFailure(error: unknown, endCallback: (() => void) | undefined): void {
      report(error, this.req)
      answerWithError(this.res, error, endCallback)
    }
  }

  /** Where this `session()` is, as warnings name it (only computed for a warning). */
  const mountOf = (req: SessionRequest) => {
    const path = mountPath(req) // now: Express changes req.baseUrl as routers exit
    return () => mount.describe(`mounted at ${path}`)
  }
  return Object.assign(middleware, { engine })
}

/** Express-only options, given beside an engine: `session(engine, { proxy, onError })`. */
export type ExpressAdapterOptions = Pick<ExpressSessionOptions, 'proxy' | 'onError'>

/** Whether the connection is known to be HTTPS (see `ExpressSessionOptions.proxy`). */
function isSecure(req: SessionRequest, proxy: boolean | undefined): boolean {
  if (proxy === undefined && typeof req.secure === 'boolean') return req.secure
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted === true) return true
  if (proxy !== true) return false
  return firstForwarded(req.headers['x-forwarded-proto'])?.toLowerCase() === 'https'
}

/** RFC 6265 path-match of the request's path against the cookie's `path`. */
function onCookiePath(req: SessionRequest, path: string): boolean {
  if (path === '/') return true
  const url = req.originalUrl ?? req.url ?? '/'
  const query = url.indexOf('?')
  const requestPath = query === -1 ? url : url.slice(0, query)
  if (!requestPath.startsWith(path)) return false
  return (
    requestPath.length === path.length || path.endsWith('/') || requestPath[path.length] === '/'
  )
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** Replaces the route's (unsent) response with a plain error response. */
function answerWithError(
  res: ServerResponse,
  error: unknown,
  endCallback: (() => void) | undefined,
): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  for (const name of res.getHeaderNames()) {
    if (!name.startsWith('access-control-')) res.removeHeader(name)
  }
  const status = errorStatus(error)
  const body =
    status === 503 ? 'Service Unavailable' : status >= 500 ? 'Internal Server Error' : 'Error'
  res.statusCode = status
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  res.setHeader('content-length', String(body.length))
  res.setHeader('cache-control', 'no-store')
  res.end(body, endCallback)
}

function defaultReport(error: unknown): void {
  if (globalThis.process?.env?.NODE_ENV === 'test') return
  console.error(error)
}
