import type {
  RequestSession,
  ResponseHeaders,
  Session,
  SessionData,
  SessionEngine,
  SessionOptions,
} from '@tessera/core'
import {
  callSite,
  canDeliverId,
  commitForResponse,
  createWarnOnce,
  describeMount,
  engineFrom,
  errorStatus,
  isLoopbackHost,
  isPromise,
  mergeVary,
  readyGate,
} from '@tessera/core/adapter'
import type { DefaultState, Middleware, ParameterizedContext } from 'koa'
import { guardContextSession, guardInstalledKoa, SESSION_STATE } from './context-session-guard.js'
import { createKoaSession, type KoaSession } from './koa-session.js'

export { SESSION_STATE }

import type { SessionContext } from './session-context.js'

/** The middleware {@link session} returns: Koa middleware, plus the engine it drives. */
export interface KoaSessionMiddleware<Data extends object = SessionData>
  extends Middleware<DefaultState, SessionContext<Data>> {
  /** For administration outside requests: list or revoke a user's sessions, `close()`. */
  readonly engine: SessionEngine<Data>
}

type AnyContext = ParameterizedContext<DefaultState, SessionContext<SessionData>>

/**
 * Adds `ctx.session` to Koa 2 and 3 apps: loaded before the rest of the chain, saved after
 * it and before Koa sends the response, so a redirect is followed by a request that sees the
 * new data.
 *
 * Pass {@link SessionOptions} or an engine made by `createSessionEngine` (to share it with
 * administration code). Store failures are thrown as `SessionStoreError` (status 503), which
 * Koa's error handling answers with a 503.
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { session } from '@tessera/koa'
 *
 * const app = new Koa()
 *   .use(session<{ views: number }>({ secret: process.env.SESSION_SECRET! }))
 *   .use((ctx) => {
 *     ctx.session.views = (ctx.session.views ?? 0) + 1
 *     ctx.body = `${ctx.session.views} views`
 *   })
 * ```
 */
export function session<Data extends object = SessionData>(
  options: SessionOptions | SessionEngine<Data>,
): KoaSessionMiddleware<Data> {
  const engine = engineFrom<Data>(options)
  const warn = createWarnOnce()
  // As express-session and @tessera/express do: a Secure cookie is not sent over plain HTTP
  // (browsers would drop it), and a new session that could not get its cookie is not stored.
  // Behind a TLS-terminating proxy, `app.proxy = true` makes `ctx.secure` see X-Forwarded-Proto.
  const { idHeader, cookie } = engine.options
  const cookieDeliverable = (ctx: AnyContext): boolean => {
    // Cheapest first: `ctx.secure` runs Koa's proxy logic; the Host header is one lookup.
    if (idHeader !== null || !cookie.secure) return true
    const host = ctx.req.headers.host
    if (isLoopbackHost(host) || canDeliverId(engine.options, { secure: ctx.secure, host })) {
      return true
    }
    warn(
      'TESSERA_INSECURE_COOKIE',
      'A Secure session cookie was not sent: the request came over plain HTTP to a host that is not loopback (browsers accept Secure cookies over HTTP only from localhost, 127.0.0.1 and [::1]). Behind a TLS-terminating proxy, set `app.proxy = true`; for plain-HTTP development on another host name, set `cookie: { secure: false }`.',
    )
    return false
  }
  const site = callSite()
  // Once, not per request: only a warning about a second mount ever reads it.
  const mountedFirst = describeMount(site, 'mounted first')
  const waitReady = readyGate(engine)
  guardInstalledKoa()
  const middleware = async (ctx: AnyContext, next: () => Promise<unknown>): Promise<void> => {
    const slot = ctx as unknown as Record<symbol, KoaRequestSession<SessionData> | undefined>
    const existing = slot[SESSION_STATE]
    if (existing) {
      // Mounted twice: the first one already drives this request.
      if (existing.engine !== (engine as unknown)) {
        warn(
          'TESSERA_SESSION_MOUNTED_TWICE',
          `Two session() middlewares ran for ${ctx.method} ${ctx.path}: ${existing.mount} already set ctx.session, so ${describeMount(site, 'mounted later')} is ignored and its options do not apply; the data goes into the first one's session. Mount session() once (share its engine with \`session(engine)\`).`,
        )
      }
      await next()
      return
    }
    const waiting = waitReady()
    if (waiting) await waiting
    guardContextSession(Object.getPrototypeOf(ctx) as object)
    const state = new KoaRequestSession<Data>(engine, ctx, mountedFirst)
    slot[SESSION_STATE] = state as unknown as KoaRequestSession<SessionData>
    if (!state.current.loaded) await state.load()
    try {
      await next()
    } catch (error) {
      const status = errorStatus(error)
      const out = state.commit(status, cookieDeliverable(ctx))
      const headers = isPromise(out) ? await out : out
      if (status < 500) attachHeaders(error, headers)
      throw error
    }
    const out = state.commit(ctx.status, cookieDeliverable(ctx))
    const headers = isPromise(out) ? await out : out
    if (!ctx.headerSent) applyHeaders(ctx, headers)
  }
  Object.defineProperty(middleware, 'engine', { value: engine, enumerable: true })
  return middleware as unknown as KoaSessionMiddleware<Data>
}

/** One request's session under Koa: the engine's request session and `ctx.session`'s proxy. */
export class KoaRequestSession<Data extends object> {
  current: RequestSession<Data>
  private view: KoaSession<Data> | null = null
  /** Sessions replaced by `ctx.session = null | {…}`, with their pending destroy. */
  private readonly replaced: Array<{ rs: RequestSession<Data>; destroyed: Promise<unknown> }> = []

  constructor(
    readonly engine: SessionEngine<Data>,
    private readonly ctx: AnyContext,
    /** The `session()` that made this state, as warnings name it. */
    readonly mount: string,
  ) {
    // Node's own header object: `ctx.get` goes through Koa's delegates for each header.
    const headers = ctx.req.headers
    this.current = engine.start({
      cookie: headers.cookie,
      userAgent: headers['user-agent'],
      header: (name) => firstValue(headers[name]),
      ip: () => ctx.ip,
    })
  }

  /** `ctx.session`, made on first use: a route that never touches it allocates none. */
  get proxy(): KoaSession<Data> {
    if (this.view === null) this.view = createKoaSession(this.current.session)
    return this.view
  }

  load(): Promise<void> {
    return this.current.load()
  }

  /** `ctx.session = null` destroys; `ctx.session = {…}` starts a new session with that data. */
  replace(value: unknown): void {
    if (value !== null && value === this.view) return
    if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      throw new TypeError(
        'ctx.session can only be set to null (destroy) or a plain object (new data).',
      )
    }
    const previous = this.current
    const destroyed = previous.session.destroy()
    // Observed at commit; a rejection must not go unhandled meanwhile.
    destroyed.catch(() => {})
    this.replaced.push({ rs: previous, destroyed })
    this.current = this.engine.start({
      cookie: null,
      userAgent: this.ctx.get('user-agent'),
      header: () => undefined,
      ip: () => this.ctx.ip,
    })
    this.view = null
    if (value !== null) {
      const fresh = this.current.session as unknown as Session<SessionData>
      for (const [key, item] of Object.entries(value)) fresh.set(key, item)
    }
  }

  /**
   * Commits the current session and any it replaced: the replaced ones' headers (a cleared
   * cookie) count only when the current one sets no id of its own.
   */
  commit(status: number, canSetCookie = true): ResponseHeaders | Promise<ResponseHeaders> {
    if (this.replaced.length === 0) return commitForResponse(this.current, status, canSetCookie)
    return this.commitReplaced(status, canSetCookie)
  }

  private async commitReplaced(status: number, canSetCookie: boolean): Promise<ResponseHeaders> {
    for (const { destroyed } of this.replaced) await destroyed
    const headers = await commitForResponse(this.current, status, canSetCookie)
    const idHeader = this.engine.options.idHeader ?? 'set-cookie'
    const setsId = headers.some(([name]) => name === idHeader)
    for (const { rs } of this.replaced) {
      for (const entry of await commitForResponse(rs, status, canSetCookie)) {
        const [name] = entry
        if (name === idHeader ? setsId : headers.some(([other]) => other === name)) continue
        headers.push(entry)
      }
    }
    return headers
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function applyHeaders(ctx: AnyContext, headers: ResponseHeaders): void {
  for (const [name, value] of headers) {
    if (name === 'vary') ctx.vary(value)
    else if (name === 'set-cookie') ctx.append(name, value)
    else ctx.set(name, value)
  }
}

/** Koa's error handler removes every header, then sets `err.headers`: put ours there. */
function attachHeaders(error: unknown, headers: ResponseHeaders): void {
  if (headers.length === 0 || typeof error !== 'object' || error === null) return
  const target = error as { headers?: Record<string, string | string[]> }
  const merged: Record<string, string | string[]> = { ...(target.headers ?? {}) }
  for (const [name, value] of headers) {
    const existing = merged[name]
    if (name === 'set-cookie') {
      merged[name] = existing === undefined ? [value] : [...[existing].flat(), value]
    } else if (name === 'vary' && typeof existing === 'string') {
      merged[name] = mergeVary(existing, value)
    } else {
      merged[name] = value
    }
  }
  try {
    target.headers = merged
  } catch {
    // A frozen error keeps its own headers.
  }
}
