import type { ResponseHeaders, Session, SessionEngine } from '@tessera/core'

/**
 * What one request sends besides its cookie, for {@link exchange}.
 *
 * @example
 * ```ts
 * import { createSessionEngine, MemoryStore } from '@tessera/core'
 * import { exchange } from '@tessera/testkit'
 * import { expect, it } from 'vitest'
 *
 * it('reads the session id from a header in header mode', async () => {
 *   const engine = createSessionEngine<{ n: number }>({
 *     secret: 'a-secret-of-at-least-32-characters!!',
 *     store: new MemoryStore(),
 *     idFrom: { header: 'x-session-id' },
 *   })
 *   const first = await exchange(engine, undefined, (session) => session.set('n', 1))
 *   const id = first.header('x-session-id') as string
 *   await exchange(engine, undefined, (session) => expect(session.get('n')).toBe(1), {
 *     headers: { 'x-session-id': id },
 *   })
 * })
 * ```
 */
export interface ExchangeOptions {
  /** The response status the route ends with; a 5xx saves nothing. Default `200`. */
  status?: number
  /** The request's `User-Agent`, kept with the session. Default `'vitest'`. */
  userAgent?: string
  /** Other request headers, by lower-case name (for `idFrom: { header }`). */
  headers?: Record<string, string>
}

/** The response side of one {@link exchange}, and what its route returned. */
export interface Exchange<Result = unknown> {
  /** The route's return value, awaited (`undefined` without a route). */
  result: Result
  /** Every header the engine adds to the response, lower-case names, in order. */
  headers: ResponseHeaders
  /** The first `Set-Cookie` header, if the response sets one. */
  setCookie: string | undefined
  /**
   * The `Cookie` header a browser sends next: the cookie just set, none if it was cleared
   * (`Max-Age=0`), or else the one this request sent.
   */
  cookie: string | undefined
  /** The first response header called `name` (lower-case). */
  header(name: string): string | undefined
}

/**
 * One request through the engine, the way a framework adapter drives it: `start` with the
 * cookie, `load`, the route on the session, `commit` with the status. Returns the response
 * headers, the cookie to send next and the route's return value, so a test can chain
 * requests like a browser without an HTTP server.
 *
 * @example
 * ```ts
 * import { createSessionEngine, MemoryStore } from '@tessera/core'
 * import { exchange } from '@tessera/testkit'
 * import { expect, it } from 'vitest'
 *
 * it('keeps a cart across requests', async () => {
 *   const engine = createSessionEngine<{ cart: string[] }>({
 *     secret: 'a-secret-of-at-least-32-characters!!',
 *     store: new MemoryStore(),
 *   })
 *   const first = await exchange(engine, undefined, (session) => session.set('cart', ['apple']))
 *   expect(first.setCookie).toMatch(/HttpOnly/)
 *   const next = await exchange(engine, first.cookie, (session) => session.get('cart'))
 *   expect(next.result).toEqual(['apple'])
 * })
 * ```
 */
export async function exchange<Data extends object, Result = undefined>(
  engine: SessionEngine<Data>,
  cookie: string | undefined,
  route?: (session: Session<Data>) => Result | Promise<Result>,
  options: ExchangeOptions = {},
): Promise<Exchange<Result>> {
  const rs = engine.start({
    cookie,
    userAgent: options.userAgent ?? 'vitest',
    header: (name) => options.headers?.[name],
  })
  await rs.load()
  const result = (await route?.(rs.session)) as Result
  const headers = await rs.commit({ status: options.status ?? 200 })
  const header = (name: string) => headers.find(([n]) => n === name)?.[1]
  const setCookie = header('set-cookie')
  let next = cookie
  if (setCookie) next = /Max-Age=0/.test(setCookie) ? undefined : setCookie.split(';')[0]
  return { result, headers, setCookie, cookie: next, header }
}
