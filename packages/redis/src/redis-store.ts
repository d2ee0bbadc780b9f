import { randomUUID } from 'node:crypto'
import {
  type KeyedStoredSession,
  SessionConfigError,
  type SessionStore,
  type StoredSession,
} from '@tessera/core'
import type { RedisClient } from './redis-client.js'
import {
  destroyScript,
  indexScript,
  lockScript,
  setScript,
  touchScript,
  unlockScript,
} from './redis-scripts.js'
import type { RedisStoreOptions } from './redis-store-options.js'
import { RedisStoreUnavailableError } from './redis-store-unavailable-error.js'

/** Names the scripts are registered under on the client (versioned: a changed script gets a new name). */
const commands = {
  set: 'tesseraSessionSetV1',
  touch: 'tesseraSessionTouchV1',
  destroy: 'tesseraSessionDestroyV1',
  index: 'tesseraUserIndexV1',
  lock: 'tesseraLeaseLockV1',
  unlock: 'tesseraLeaseUnlockV1',
} as const

type ScriptName = keyof typeof commands
type ScriptCall = (key: string, ...args: string[]) => Promise<unknown>

/** Client states in which ioredis would only queue a command, not send it. */
const disconnected = new Set(['reconnecting', 'close', 'end', 'disconnecting'])

/**
 * A Tessera session store on Redis through ioredis: standalone, Sentinel or Cluster.
 *
 * - A session is one hash, `<prefix>sess:<key>`, expiring by Redis's own TTL (`PEXPIREAT`).
 *   Reading it is one `HMGET`; the conditional write and `touch` are one Lua script each
 *   (`EVALSHA`), so create-only, version match and conflicts are decided inside Redis.
 * - A user's sessions are indexed in a sorted set, `<prefix>user:<userId>`, scored by expiry.
 *   On a standalone server (or when the prefix holds a Cluster hash tag) the session scripts
 *   update it atomically. In a Cluster the session and its index live in different slots, so
 *   the index is updated by separate calls, in an order that keeps it a superset of the
 *   user's live sessions; see the package README.
 * - An exclusive-section lease is a string key of its own, `<prefix>lock:<key>`, holding a
 *   random token: taken with `SET NX PX`, ended by a script that deletes it only if it still
 *   holds the caller's token. Sessions never touch it, and Redis expires it.
 *
 * The store never closes the client: you own it, and `quit()` it at shutdown.
 *
 * @example
 * ```ts
 * import { RedisStore } from '@tessera/redis'
 * import { Redis } from 'ioredis'
 *
 * const store = new RedisStore({ client: new Redis({ maxRetriesPerRequest: 1 }) })
 * ```
 */
export class RedisStore implements SessionStore {
  readonly #client: RedisClient
  readonly #calls: Record<ScriptName, ScriptCall>
  readonly #prefix: string
  readonly #failFast: boolean
  /** Where the scripts find a user's index, or '' when the index lives in another slot. */
  readonly #indexPrefix: string

  constructor(options: RedisStoreOptions) {
    const client = options?.client
    if (
      client === null ||
      typeof client !== 'object' ||
      typeof client.defineCommand !== 'function' ||
      typeof client.hmget !== 'function'
    ) {
      throw new SessionConfigError(
        'client',
        'pass an ioredis client you created, e.g. `new RedisStore({ client: new Redis(url) })`.',
      )
    }
    const prefix = options.prefix ?? 'tessera:'
    if (typeof prefix !== 'string') {
      throw new SessionConfigError('prefix', 'must be a string, e.g. `myapp:`.')
    }
    this.#client = client
    this.#prefix = prefix
    this.#failFast = options.failFast ?? true
    const keyPrefix = client.options?.keyPrefix ?? ''
    const sameSlot = client.isCluster !== true || hasHashTag(keyPrefix + prefix)
    this.#indexPrefix = sameSlot ? `${keyPrefix}${prefix}user:` : ''

    const lua = {
      set: setScript,
      touch: touchScript,
      destroy: destroyScript,
      index: indexScript,
      lock: lockScript,
      unlock: unlockScript,
    }
    const callable = client as unknown as Record<string, ScriptCall | undefined>
    const calls = {} as Record<ScriptName, ScriptCall>
    for (const name of Object.keys(commands) as ScriptName[]) {
      const command = commands[name]
      client.defineCommand(command, { numberOfKeys: 1, lua: lua[name] })
      const call = callable[command]
      if (typeof call !== 'function') {
        throw new SessionConfigError('client', 'the client did not register a Lua script.')
      }
      calls[name] = call.bind(client)
    }
    this.#calls = calls
  }

  /** True when the per-user index is kept by the session scripts themselves (same slot). */
  get indexInScripts(): boolean {
    return this.#indexPrefix !== ''
  }

  async get(key: string): Promise<StoredSession | null> {
    this.#ensureConnected()
    const [payload, version, expiresAt, userId] = await this.#client.hmget(
      this.#sessionKey(key),
      'p',
      'v',
      'e',
      'u',
    )
    return toRecord(payload, version, expiresAt, userId, Date.now())
  }

  async set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    this.#ensureConnected()
    const expiry = expiryMs(record.expiresAt)
    const user = record.userId ?? null
    const args = (indexedUntil: string): string[] => [
      expected === null ? '' : String(expected),
      String(Date.now()),
      record.payload,
      String(record.version),
      String(record.expiresAt),
      String(expiry),
      user ?? '',
      user === null ? '0' : '1',
      key,
      this.#indexPrefix,
      indexedUntil,
    ]
    let reply = await this.#run('set', this.#sessionKey(key), args(''))
    if (reply[0] === 2 && user !== null) {
      // Split mode: index the user first, so the index never misses a live session.
      const until = String(indexUntil(expiry, Date.now()))
      await this.#run('index', this.#userKey(user), [String(Date.now()), 'add', until, key])
      reply = await this.#run('set', this.#sessionKey(key), args(until))
    }
    if (reply[0] !== 1) return false
    const leftUser = reply[1]
    if (typeof leftUser === 'string' && this.#indexPrefix === '') {
      await this.#forget(leftUser, [key])
    }
    return true
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    this.#ensureConnected()
    const expiry = expiryMs(expiresAt)
    const args = (indexedUntil: string): string[] => [
      String(Date.now()),
      String(expiresAt),
      String(expiry),
      key,
      this.#indexPrefix,
      indexedUntil,
    ]
    const reply = await this.#run('touch', this.#sessionKey(key), args(''))
    const user = reply[1]
    if (reply[0] === 2 && typeof user === 'string') {
      const until = String(indexUntil(expiry, Date.now()))
      await this.#run('index', this.#userKey(user), [String(Date.now()), 'add', until, key])
      await this.#run('touch', this.#sessionKey(key), args(until))
    }
  }

  async destroy(key: string): Promise<void> {
    this.#ensureConnected()
    const reply = await this.#run('destroy', this.#sessionKey(key), [
      String(Date.now()),
      key,
      this.#indexPrefix,
      '0',
      '',
    ])
    const user = reply[1]
    if (typeof user === 'string' && this.#indexPrefix === '') await this.#forget(user, [key])
  }

  async listByUser(userId: string): Promise<KeyedStoredSession[]> {
    const members = await this.#members(userId)
    const now = Date.now()
    const rows = await Promise.all(
      members.map(async (key) => {
        const [payload, version, expiresAt, user] = await this.#client.hmget(
          this.#sessionKey(key),
          'p',
          'v',
          'e',
          'u',
        )
        const record = toRecord(payload, version, expiresAt, user, now)
        return record !== null && record.userId === userId ? { key, ...record } : null
      }),
    )
    return rows.filter((row): row is KeyedStoredSession => row !== null)
  }

  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    const members = (await this.#members(userId)).filter((key) => key !== exceptKey)
    const now = String(Date.now())
    const replies = await Promise.all(
      members.map((key) =>
        this.#run('destroy', this.#sessionKey(key), [now, key, this.#indexPrefix, '1', userId]),
      ),
    )
    let removed = 0
    const gone: string[] = []
    replies.forEach((reply, i) => {
      if (reply[0] === 1) removed++
      if (reply[1] === userId) gone.push(members[i]!)
    })
    if (this.#indexPrefix === '' && gone.length > 0) await this.#forget(userId, gone)
    return removed
  }

  async lock(key: string, leaseMs: number): Promise<string | null> {
    if (!(typeof leaseMs === 'number' && Number.isFinite(leaseMs) && leaseMs > 0)) {
      throw new RangeError(
        `lock() needs leaseMs, a positive finite number of milliseconds; got ${String(leaseMs)}.`,
      )
    }
    this.#ensureConnected()
    const token = randomUUID()
    // PX takes whole milliseconds; round up so a lease never ends early.
    const reply = await this.#calls.lock(this.#leaseKey(key), token, String(Math.ceil(leaseMs)))
    if (reply === 1) return token
    if (reply === 0) return null
    throw unexpected('lock', reply)
  }

  async unlock(key: string, token: string): Promise<void> {
    this.#ensureConnected()
    const reply = await this.#calls.unlock(this.#leaseKey(key), token)
    if (reply !== 0 && reply !== 1) throw unexpected('unlock', reply)
  }

  #sessionKey(key: string): string {
    return `${this.#prefix}sess:${key}`
  }

  #leaseKey(key: string): string {
    return `${this.#prefix}lock:${key}`
  }

  #userKey(userId: string): string {
    return `${this.#prefix}user:${userId}`
  }

  async #members(userId: string): Promise<string[]> {
    this.#ensureConnected()
    const reply = await this.#calls.index(this.#userKey(userId), String(Date.now()), 'list')
    if (!Array.isArray(reply)) throw unexpected('index', reply)
    return reply.filter((member): member is string => typeof member === 'string')
  }

  /** Best-effort removal of index members; a leftover is skipped on read and expires by score. */
  async #forget(userId: string, keys: string[]): Promise<void> {
    try {
      await this.#run('index', this.#userKey(userId), [String(Date.now()), 'remove', ...keys])
    } catch {
      // The session write already succeeded; listings verify every member against its record.
    }
  }

  async #run(name: ScriptName, key: string, args: string[]): Promise<unknown[]> {
    const reply = await this.#calls[name](key, ...args)
    if (Array.isArray(reply)) return reply
    if (reply === 1) return [1]
    throw unexpected(name, reply)
  }

  #ensureConnected(): void {
    if (this.#failFast && disconnected.has(this.#client.status)) {
      throw new RedisStoreUnavailableError(this.#client.status, this.#address())
    }
  }

  #address(): string | null {
    const { host, port } = this.#client.options ?? {}
    return typeof host === 'string' && this.#client.isCluster !== true
      ? `${host}:${port ?? 6379}`
      : null
  }

  /**
   * Checks that Redis answers (`PING`). The adapters call it before their first request; an
   * unreachable server fails that request with a 503 and is checked again by the next one.
   */
  async ready(): Promise<void> {
    this.#ensureConnected()
    await this.#client.ping()
  }
}

function toRecord(
  payload: string | null | undefined,
  version: string | null | undefined,
  expiresAt: string | null | undefined,
  userId: string | null | undefined,
  now: number,
): StoredSession | null {
  if (payload == null || version == null || expiresAt == null) return null
  const expires = Number(expiresAt)
  if (!(expires > now)) return null
  return { payload, version: Number(version), expiresAt: expires, userId: userId ?? null }
}

/** Redis expiries are whole milliseconds; round up so a record never goes early. */
function expiryMs(expiresAt: number): number {
  if (!Number.isFinite(expiresAt)) {
    throw new TypeError(`expiresAt must be a finite number of ms since the epoch, got ${expiresAt}`)
  }
  return Math.ceil(expiresAt)
}

/**
 * Split mode promises the index entry for twice the remaining lifetime, so a session that is
 * touched or rewritten repeatedly re-indexes about once per lifetime, not on every write.
 */
function indexUntil(expiry: number, now: number): number {
  return expiry + Math.max(expiry - now, 0)
}

/** True when Cluster hashes `prefix`-led keys by a `{tag}` inside the prefix itself. */
function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{')
  if (open === -1) return false
  const close = prefix.indexOf('}', open + 1)
  return close > open + 1
}

function unexpected(script: string, reply: unknown): Error {
  return new Error(`Unexpected reply from the ${script} script: ${JSON.stringify(reply)}`)
}
