import type { SessionEngine } from '../engine/session-engine.js'
import type { SessionOptions } from '../options/session-options.js'
import { callSite, describeMount } from './call-site.js'
import { engineFrom } from './engine-from.js'
import { isLoopbackHost } from './id-delivery.js'
import { readyGate } from './ready-gate.js'
import { createWarnOnce } from './warn-once.js'

/**
 * How an adapter's warnings speak to its users.
 *
 * @example
 * ```ts
 * const mount = new SessionMount(options, {
 *   accessor: 'ctx.session',
 *   proxyFix: 'set `app.proxy = true`',
 * })
 * ```
 */
export interface SessionMountHints {
  /** The expression the app reaches the session by: `req.session`, `ctx.session`. */
  accessor: string
  /** How to tell this framework that a TLS-terminating proxy is in front of it. */
  proxyFix: string
  /** How to mount `session()` once; the default suggests sharing the engine. */
  mountFix?: string
}

/** The first `session()` of a request, as a later one finds it. */
export interface MountedSession {
  readonly engine: unknown
  /** How warnings name that mount. */
  readonly mount: string
}

/**
 * What every adapter's `session()` sets up once: the engine (from options, or the one given),
 * the store readiness gate, where the app created the middleware, and the two warnings every
 * adapter gives (a second `session()` on one request; a Secure cookie withheld over plain HTTP).
 */
export class SessionMount<Data extends object> {
  readonly engine: SessionEngine<Data>
  /** Resolves before the first request is served, then returns null. */
  readonly waitReady: () => Promise<void> | null
  /** This mount as the second-mount warning names the first one. */
  readonly first: string
  /**
   * The id reaches the client over any connection: it travels in a header, or in a cookie
   * without `Secure`. Adapters check it before looking up what {@link canDeliverId} needs.
   */
  readonly alwaysDelivers: boolean
  readonly #site = callSite()
  readonly #warn = createWarnOnce()
  readonly #hints: SessionMountHints

  constructor(options: SessionOptions | SessionEngine<Data>, hints: SessionMountHints) {
    this.engine = engineFrom<Data>(options)
    this.waitReady = readyGate(this.engine)
    this.first = describeMount(this.#site, 'mounted first')
    this.alwaysDelivers =
      this.engine.options.idHeader !== null || !this.engine.options.cookie.secure
    this.#hints = hints
  }

  /** This mount, as warnings name it: where the app created it, and `where` it serves. */
  describe(where: string): string {
    return describeMount(this.#site, where)
  }

  /**
   * Called when `existing` already drives the request: a `session()` of another engine is
   * ignored, with one warning naming both mounts (the same engine mounted twice is harmless).
   */
  secondMount(existing: MountedSession, request: string, where: string): void {
    if (existing.engine === (this.engine as unknown)) return
    const fix =
      this.#hints.mountFix ?? 'Mount session() once (share its engine with `session(engine)`).'
    this.#warn(
      'TESSERA_SESSION_MOUNTED_TWICE',
      `Two session() middlewares ran for ${request}: ${existing.mount} already set ${this.#hints.accessor}, so ${this.describe(where)} is ignored and its options do not apply; the data goes into the first one's session. ${fix}`,
    )
  }

  /**
   * Whether this response can carry the session id, as the kit's `canDeliverId` decides it.
   * Cheapest first: `secure` (which may run the framework's proxy logic) is asked last, only
   * for a Secure cookie to a host that is not loopback. `secureCookie` is this response's
   * `Secure` attribute where the app changed it.
   */
  canDeliverId(
    host: string | null | undefined,
    secure: () => boolean,
    secureCookie?: boolean,
  ): boolean {
    const always =
      secureCookie === undefined
        ? this.alwaysDelivers
        : this.engine.options.idHeader !== null || !secureCookie
    return always || isLoopbackHost(host) || secure()
  }

  /** Warns, once per mount, that a Secure cookie was withheld, and what to do about it. */
  warnInsecure(): void {
    this.#warn(
      'TESSERA_INSECURE_COOKIE',
      `A Secure session cookie was not sent: the request came over plain HTTP to a host that is not loopback (browsers accept Secure cookies over HTTP only from localhost, 127.0.0.1 and [::1]). Behind a TLS-terminating proxy, ${this.#hints.proxyFix}; for plain-HTTP development on another host name, set \`cookie: { secure: false }\`.`,
    )
  }
}

/** The first hop of an `X-Forwarded-*` header (`"https, http"` → `"https"`). */
export function firstForwarded(value: string | string[] | null | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return first?.split(',')[0]?.trim() || undefined
}
