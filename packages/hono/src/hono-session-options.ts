import type { SessionOptions } from '@tessera/core'

/**
 * Options of {@link session}: every core {@link SessionOptions} option, plus `proxy`.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { session, type SessionEnv } from '@tessera/hono'
 *
 * const app = new Hono<SessionEnv>()
 * // Behind a TLS-terminating proxy that sets X-Forwarded-Proto: https
 * app.use(session({ secret: process.env.SESSION_SECRET!, proxy: true }))
 * ```
 */
export interface HonoSessionOptions extends SessionOptions {
  /**
   * Whether to believe `X-Forwarded-Proto` when deciding if the request is HTTPS. Default
   * `false`: only the request URL's scheme counts (`https:` on Workers, Deno Deploy, Bun with
   * TLS; `http:` on @hono/node-server behind a proxy).
   *
   * When `cookie.secure` is on (the default) and the request is plain HTTP to a host that is
   * not loopback, the Secure session cookie is withheld (browsers would refuse it) with a
   * one-time warning, and a new session is not stored. Plain HTTP to `localhost`,
   * `127.0.0.1` or `[::1]` gets the cookie: browsers accept Secure cookies there.
   */
  proxy?: boolean
}

/** Hono-only options, given beside an engine: `session(engine, { proxy: true })`. */
export type HonoAdapterOptions = Pick<HonoSessionOptions, 'proxy'>
