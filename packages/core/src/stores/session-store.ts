/**
 * One session as a store keeps it. Everything in it is decided by the engine; a store only
 * keeps it, finds it, and honours `version` and `expiresAt`.
 */
export interface StoredSession {
  /** Serialized (and, if configured, encrypted) session; opaque to the store. */
  payload: string
  /** Bumped by the engine on every write; the store compares it in {@link SessionStore.set}. */
  version: number
  /** Milliseconds since the epoch. The store may drop the record from then on. */
  expiresAt: number
  /** The signed-in user, for the per-user index; `null` or absent when nobody is signed in. */
  userId?: string | null
}

/** A record as {@link SessionStore.listByUser} returns it: the stored session and its key. */
export interface KeyedStoredSession extends StoredSession {
  key: string
}

/**
 * The contract every Tessera store implements. Keys are opaque strings (base64url SHA-256
 * hashes of session ids, 43 characters of `[A-Za-z0-9_-]`, possibly behind a prefix of the
 * store's own); the engine never hands a store a raw session id.
 *
 * The engine owns every policy (ids, signing, expiry, serialization, encryption, merging);
 * a store keeps records and decides one thing atomically: whether a conditional write wins.
 *
 * @example
 * ```ts
 * import { describeStore } from '@tessera/testkit'
 * import { MyStore } from '../index.js'
 *
 * describeStore('MyStore', () => new MyStore(), { listByUser: true, prune: true })
 * ```
 */
export interface SessionStore {
  /** The record under `key`, or `null` when it is missing or `expiresAt` has passed. */
  get(key: string): Promise<StoredSession | null>
  /**
   * Writes `record` only if the stored version equals `expected` (`null`: only if no live
   * record exists). Returns `false` on conflict, and never overwrites a newer version.
   * An expired record counts as absent.
   */
  set(key: string, record: StoredSession, expected: number | null): Promise<boolean>
  /** Moves the expiry of an existing record; does nothing when the record is missing. */
  touch(key: string, expiresAt: number): Promise<void>
  /** Removes the record (and its per-user index entry); does nothing when it is missing. */
  destroy(key: string): Promise<void>
  /** Live records of one user. Optional: the per-user features need it. */
  listByUser?(userId: string): Promise<KeyedStoredSession[]>
  /** Removes a user's records, but `exceptKey`; returns how many were removed. */
  destroyByUser?(userId: string, exceptKey?: string): Promise<number>
  /** Removes expired records; for stores without native expiry. Returns how many. */
  prune?(): Promise<number>
  /**
   * Optional: takes an exclusive lease named `key` (a store key, already a hash) for `leaseMs`
   * milliseconds. Resolves to an opaque token when taken, or `null` when another holder's
   * lease is still running. An expired lease is taken over. Never blocks waiting.
   */
  lock?(key: string, leaseMs: number): Promise<string | null>
  /** Ends the lease `token` holds on `key`; a no-op if it expired or was taken over. */
  unlock?(key: string, token: string): Promise<void>
  /**
   * Checks once that the store can work: the table exists, the client is of the right kind,
   * the server answers. A setup mistake rejects with a `SessionStoreConfigError` saying what
   * to fix; an outage with any other error (retried on a later call). Optional; the engine's
   * `ready()` calls it, and the adapters before their first request.
   */
  ready?(): Promise<void>
  /** Releases what the store itself opened (timers); never closes a client the user passed in. */
  close?(): Promise<void>
}
