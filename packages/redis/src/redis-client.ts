/**
 * The part of an ioredis client the store uses, described structurally so that the store's
 * public types do not depend on ioredis's own (large, version-specific) declarations. Both
 * ioredis's `Redis` (standalone or Sentinel) and its `Cluster` satisfy it.
 *
 * The store registers its Lua scripts on the client with `defineCommand` (under names that
 * start with `tessera`), so they run as `EVALSHA`, loaded on demand on each connection and
 * node; everything else it sends is a plain `HMGET`.
 */
export interface RedisClient {
  /** `true` for an ioredis `Cluster`, `false` for a standalone or Sentinel-managed `Redis`. */
  readonly isCluster: boolean
  /**
   * Connection state. While it is `'reconnecting'`, `'close'` or `'end'` the store fails its
   * calls at once instead of parking them in ioredis's offline queue.
   */
  readonly status: string
  /**
   * The client's options; the store honours ioredis's own `keyPrefix`, and names `host` and
   * `port` (standalone) in its errors.
   */
  readonly options: {
    readonly keyPrefix?: string | undefined
    readonly host?: string | undefined
    readonly port?: number | undefined
  }
  /** Registers a Lua script as a command; ioredis sends it with `EVALSHA` (falling back to `EVAL`). */
  defineCommand(
    name: string,
    definition: { lua: string; numberOfKeys?: number; readOnly?: boolean },
  ): void
  /** `HMGET key field...`: the one command a session read costs. */
  hmget(key: string, ...fields: string[]): Promise<Array<string | null>>
  /** `PING`, for {@link RedisStore.ready}. */
  ping(): Promise<string>
}
