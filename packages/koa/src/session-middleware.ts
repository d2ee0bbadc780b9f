import type {
  IncomingRequestInfo,
  ResponseHeaders,
  SessionData,
  SessionEngine,
  SessionOptions,
} from '@tessera/core'
import {
  createPropertySession,
  errorStatus,
  isPromise,
  mergeVary,
  type PropertySession,
  ReplaceableSession,
  SessionMount,
} from '@tessera/core/adapter'
import type { DefaultState, Middleware, ParameterizedContext } from 'koa'
import { guardContextSession, guardInstalledKoa, SESSION_STATE } from './context-session-guard.js'
import type { SessionContext } from './session-context.js'

export { SESSION_STATE }

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
  const mount = new SessionMount<Data>(options, {
    accessor: 'ctx.session',
    // `app.proxy` also makes `ctx.secure` see X-Forwarded-Proto.
    proxyFix: 'set `app.proxy = true`',
  })
  const { engine } = mount
  // As express-session does: a Secure cookie is not sent over plain HTTP (browsers would drop
  // it), and a new session that could not get its cookie is not stored.
  const cookieDeliverable = (ctx: AnyContext): boolean => {
    if (mount.alwaysDelivers) return true // before allocating the `secure` callback
    if (mount.canDeliverId(ctx.req.headers.host, () => ctx.secure)) return true
    mount.warnInsecure()
    return false
  }
  guardInstalledKoa()
  const middleware = async (ctx: AnyContext, next: () => Promise<unknown>): Promise<void> => {
    const slot = ctx as unknown as Record<symbol, KoaRequestSession<SessionData> | undefined>
    const existing = slot[SESSION_STATE]
    if (existing) {
      mount.secondMount(existing, `${ctx.method} ${ctx.path}`, 'mounted later')
      await next()
      return
    }
    const waiting = mount.waitReady()
    if (waiting) await waiting
    guardContextSession(Object.getPrototypeOf(ctx) as object)
    const state = new KoaRequestSession<Data>(engine, ctx, mount.first)
    slot[SESSION_STATE] = state as unknown as KoaRequestSession<SessionData>
    if (!state.current.loaded) await state.current.load()
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

/** One request's session under Koa, with `ctx.session`'s property-access view of it. */
export class KoaRequestSession<Data extends object> extends ReplaceableSession<Data> {
  #view: PropertySession<Data> | null = null

  constructor(
    engine: SessionEngine<Data>,
    private readonly ctx: AnyContext,
    /** The `session()` that made this state, as warnings name it. */
    readonly mount: string,
  ) {
    super(engine, requestInfo(ctx, engine))
  }

  /** `ctx.session`, made on first use: a route that never touches it allocates none. */
  get proxy(): PropertySession<Data> {
    this.#view ??= createPropertySession(this.current.session, 'ctx.session')
    return this.#view
  }

  /** `ctx.session = null` destroys; `ctx.session = {…}` starts a new session with that data. */
  override replace(value: unknown): void {
    if (value !== null && value === this.#view) return
    super.replace(value, requestInfo(this.ctx, this.engine), 'ctx.session')
    this.#view = null
  }
}

function requestInfo(
  ctx: AnyContext,
  engine: { readonly options: { readonly idHeader: string | null; readonly trackIp: boolean } },
): IncomingRequestInfo {
  // Node's own header object: `ctx.get` goes through Koa's delegates for each header.
  const headers = ctx.req.headers
  const { idHeader, trackIp } = engine.options
  return {
    cookie: headers.cookie,
    userAgent: headers['user-agent'],
    // Core reads `header` only for `idFrom: { header }` and `ip` only with `trackIp`: most
    // requests allocate neither closure.
    header: idHeader
      ? (name) => {
          const value = headers[name]
          return Array.isArray(value) ? value[0] : value
        }
      : undefined,
    ip: trackIp ? () => ctx.ip : undefined,
  }
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
