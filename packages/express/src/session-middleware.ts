import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type RequestSession,
  type ResponseHeaders,
  SessionConfigError,
  type SessionEngine,
} from '@tessera/core'
import {
  callSite,
  canDeliverId,
  commitForResponse,
  createWarnOnce,
  describeMount,
  engineFrom,
  errorStatus,
  isSessionEngine,
  readyGate,
} from '@tessera/core/adapter'
import type { RequestSessionObject, SessionRecord } from './express-session.js'
import type { ExpressSessionOptions } from './express-session-options.js'
import { holdResponse } from './hold-response.js'
import {
  currentSession,
  guardInstalledExpress,
  guardRequestSession,
} from './request-session-guard.js'
import { appendSetCookie, mergeVary } from './response-headers.js'
import { SessionHandle, sessionHandleOf } from './session-proxy.js'

/** The Express middleware {@link session} returns; also carries the engine for administration. */
export interface ExpressSessionMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void
  /**
   * The engine behind the middleware: `listUserSessions`, `revokeUserSessions`, `on(event)`,
   * `close()`.
   */
  readonly engine: SessionEngine<SessionRecord>
}

/** express-session options Tessera replaces, and what to do instead. */
const EXPRESS_SESSION_OPTIONS: Readonly<Record<string, string>> = {
  name: 'the cookie name is `cookie: { name }`.',
  resave: 'Tessera writes only what changed and merges concurrent writes; remove it.',
  saveUninitialized: 'Tessera stores a session only once it holds data; remove it.',
  genid: 'ids are always 256 bits from the CSPRNG; remove it.',
  unset: '`req.session = null` always deletes the session; remove it.',
}
const EXPRESS_SESSION_COOKIE_OPTIONS: Readonly<Record<string, string>> = {
  maxAge:
    'lifetimes are `idleTimeout` and `absoluteTimeout` (and `cookie.persistent` for browser-session cookies).',
  expires:
    'lifetimes are `idleTimeout` and `absoluteTimeout` (and `cookie.persistent` for browser-session cookies).',
}

interface SessionRequest extends IncomingMessage {
  session?: RequestSessionObject | null
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
  let engine: SessionEngine<SessionRecord>
  let proxy: boolean | undefined
  let onError: ExpressAdapterOptions['onError']
  if (isSessionEngine<SessionRecord>(options)) {
    engine = options
    ;({ proxy, onError } = adapterOptions)
  } else {
    rejectExpressSessionOptions(options)
    const {
      proxy: proxyOption,
      onError: onErrorOption,
      ...engineOptions
    } = options ?? ({} as ExpressSessionOptions)
    proxy = proxyOption ?? adapterOptions.proxy
    onError = onErrorOption ?? adapterOptions.onError
    engine = engineFrom<SessionRecord>(engineOptions)
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
  const { cookie } = engine.options
  const report = onError ?? defaultReport
  const site = callSite()
  const waitReady = readyGate(engine)
  guardInstalledExpress()
  const warn = createWarnOnce()
  const warnInsecure = (): void =>
    warn(
      'TESSERA_INSECURE_COOKIE',
      'A Secure session cookie was not sent: the request came over plain HTTP to a host that is not loopback (browsers accept Secure cookies over HTTP only from localhost, 127.0.0.1 and [::1]). Behind a TLS-terminating proxy, tell Express with app.set("trust proxy", ...) (or pass `proxy: true`); for plain-HTTP development on another host name, set `cookie: { secure: false }`.',
    )

  const applyHeaders = (res: ServerResponse, handle: SessionHandle, headers: ResponseHeaders) => {
    for (const [name, value] of headers) {
      if (name === 'set-cookie') {
        const override = handle.cookie.override
        const clearing = value.startsWith(`${cookie.name}=;`)
        appendSetCookie(
          res,
          override === undefined || clearing ? value : withMaxAge(value, override),
        )
      } else if (name === 'vary') {
        mergeVary(res, value)
      } else {
        res.setHeader(name, value)
      }
    }
  }

  const warnSecondMount = (first: SessionHandle, req: SessionRequest): void =>
    warn(
      'TESSERA_SESSION_MOUNTED_TWICE',
      `Two session() middlewares ran for ${req.method} ${req.originalUrl ?? req.url}: ${first.mount} already set req.session, so ${describeMount(site, `mounted at ${mountPath(req)}`)} is ignored and its options do not apply; the data goes into the first one's session. Mount session() once, at the app (share its engine with \`session(engine)\` if a router needs it).`,
    )

  const middleware = (
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    const request = req as SessionRequest
    guardRequestSession(Object.getPrototypeOf(req))
    const existing = sessionHandleOf(currentSession(req))
    if (existing) {
      // Mounted twice (app and router): the first one already drives this request.
      if (existing.engine !== engine) warnSecondMount(existing, request)
      next()
      return
    }
    const waiting = waitReady()
    if (waiting) waiting.then(() => handle(request, res, next), next)
    else handle(request, res, next)
  }

  /** One request's session, once the store's readiness check has been passed. */
  const handle = (
    req: SessionRequest,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    const request = req
    let rs: RequestSession<SessionRecord>
    try {
      rs = engine.start({
        cookie: req.headers.cookie,
        userAgent: req.headers['user-agent'],
        header: (name) => firstValue(req.headers[name]),
      })
    } catch (error) {
      next(error)
      return
    }
    rs.load().then(
      () => {
        const mount = describeMount(site, `mounted at ${mountPath(request)}`)
        const handle = new SessionHandle(rs.session, engine, mount, (value) => {
          request.session = value
        })
        request.session = handle.current
        Object.defineProperty(req, 'sessionID', {
          configurable: true,
          enumerable: true,
          get: () => handle.session.id,
        })
        holdResponse(res, {
          async beforeHeaders(status) {
            const current = currentSession(req)
            if (current === null || current === undefined) {
              // `req.session = null`: end the session, as koa-session and cookie-session do.
              await rs.session.destroy()
            }
            // In header mode no cookie is involved: the id header always reaches the client.
            const deliverable = canDeliverId(engine.options, {
              secure: isSecure(request, proxy),
              host: req.headers.host,
            })
            // A new session that cannot get its cookie is not stored at all (no orphan record).
            if (!deliverable && rs.session.isNew && rs.session.keys().length > 0) warnInsecure()
            applyHeaders(res, handle, await commitForResponse(rs, status, deliverable))
          },
          onFailure(error, endCallback) {
            report(error, req)
            answerWithError(res, error, endCallback)
          },
        })
        next()
      },
      (error: unknown) => next(error),
    )
  }
  return Object.assign(middleware, { engine })
}

/** Express-only options, given beside an engine: `session(engine, { proxy, onError })`. */
export type ExpressAdapterOptions = Pick<ExpressSessionOptions, 'proxy' | 'onError'>

function rejectExpressSessionOptions(options: ExpressSessionOptions): void {
  if (!options || typeof options !== 'object') return
  for (const [key, hint] of Object.entries(EXPRESS_SESSION_OPTIONS)) {
    if (Object.hasOwn(options, key)) {
      throw new SessionConfigError(key, `is an express-session option; ${hint}`)
    }
  }
  const cookie: unknown = options.cookie
  if (cookie && typeof cookie === 'object') {
    for (const [key, hint] of Object.entries(EXPRESS_SESSION_COOKIE_OPTIONS)) {
      if (Object.hasOwn(cookie, key)) {
        throw new SessionConfigError(`cookie.${key}`, `is an express-session option; ${hint}`)
      }
    }
  }
}

/** Whether the connection is known to be HTTPS (see `ExpressSessionOptions.proxy`). */
function isSecure(req: SessionRequest, proxy: boolean | undefined): boolean {
  if (proxy === undefined && typeof req.secure === 'boolean') return req.secure
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted === true) return true
  if (proxy !== true) return false
  const forwarded = firstValue(req.headers['x-forwarded-proto'])
  return forwarded?.split(',')[0]?.trim().toLowerCase() === 'https'
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** A Set-Cookie value with its lifetime replaced: Max-Age in ms, or none (browser-session). */
function withMaxAge(value: string, maxAgeMs: number | null): string {
  const parts = value.split('; ').filter((part) => !/^(max-age|expires)=/i.test(part))
  if (maxAgeMs !== null) parts.splice(1, 0, `Max-Age=${Math.max(0, Math.round(maxAgeMs / 1000))}`)
  return parts.join('; ')
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
