/**
 * Options of {@link {{Name}}Store}.
 *
 * Add the client here as `client`: one the user created with the backend's library and
 * passes in (the store never closes it), typed by an interface of its own listing only the
 * members the store calls, in `src/{{name}}-client.ts` (see `RedisClient` in @tessera/redis).
 *
 * @example
 * ```ts
 * import { createSessionEngine } from '@tessera/core'
 * import { {{Name}}Store } from '@tessera/{{name}}'
 *
 * const engine = createSessionEngine({
 *   secret: process.env.SESSION_SECRET!,
 *   store: new {{Name}}Store({ prefix: 'myapp:' }),
 * })
 * ```
 */
export interface {{Name}}StoreOptions {
  /**
   * Prepended to every key the store writes, so several apps can share one server.
   * Default `'tessera:'`.
   */
  prefix?: string
}
