import { MongoIndexConflictError } from './mongo-index-conflict-error.js'
import type { MongoIndexCollection } from './mongo-session-collection.js'

/** The names {@link ensureIndexes} gives its indexes. */
export const SESSION_INDEXES = {
  /** TTL index on `expiresAt`: MongoDB deletes a session once its expiry has passed. */
  expiry: 'tessera_expiresAt_ttl',
  /** Sparse index on `userId`, for `listByUser` and `destroyByUser`. */
  user: 'tessera_userId',
  /** TTL index on `expiresAt` of the lease collection: MongoDB deletes leases that ended. */
  lease: 'tessera_lease_expiresAt_ttl',
} as const

/** Options of {@link ensureIndexes}. */
export interface EnsureIndexesOptions {
  /**
   * The lease collection, when the store is given one (`lockCollection`). Default:
   * `<collection>_locks` in the session collection's database, as the store uses.
   */
  lockCollection?: MongoIndexCollection
}

/** One index {@link ensureIndexes} creates, and the collection it goes on. */
interface IndexSpec {
  on: MongoIndexCollection
  keys: { readonly [field: string]: 1 }
  options: { name: string; expireAfterSeconds?: number; sparse?: boolean }
}

/** Server error codes of `createIndexes` for an index that exists with other options or keys. */
const INDEX_CONFLICT_CODES = new Set([85, 86])

/**
 * Creates the two indexes the session collection needs, and the TTL index of the lease
 * collection, if they do not exist yet (an identical index is left as it is), and returns
 * their names:
 *
 * - `{ expiresAt: 1 }`, `expireAfterSeconds: 0`: the TTL index. MongoDB's TTL monitor deletes
 *   each session shortly after its `expiresAt` (it runs about once a minute); the store never
 *   returns an expired session in the meantime.
 * - `{ userId: 1 }`, sparse: anonymous sessions (no `userId` field) stay out of it.
 * - on the lease collection (`options.lockCollection`, else `<collection>_locks` of the
 *   collection's database; skipped when neither is there), `{ expiresAt: 1 }`,
 *   `expireAfterSeconds: 0`: deletes leases whose holder crashed. Running leases are judged
 *   by `expiresAt` themselves, so this only reclaims space.
 *
 * Call it once at deploy time (a migration or a deploy script), not on every start: index
 * builds take locks on a large collection. Without the TTL index expired sessions stay
 * invisible but are never deleted. Pass `{ lockCollection }` when the store has one.
 *
 * @example
 * ```ts
 * import { ensureIndexes } from '@tessera/mongodb'
 * import { MongoClient } from 'mongodb'
 *
 * const client = new MongoClient(process.env.MONGODB_URL!)
 * await ensureIndexes(client.db('app').collection('sessions'))
 * await client.close()
 * ```
 */
export async function ensureIndexes(
  collection: MongoIndexCollection,
  options: EnsureIndexesOptions = {},
): Promise<string[]> {
  const leases = options.lockCollection ?? collection.db?.collection(lockCollectionName(collection))
  const specs: IndexSpec[] = [
    {
      on: collection,
      keys: { expiresAt: 1 },
      options: { name: SESSION_INDEXES.expiry, expireAfterSeconds: 0 },
    },
    { on: collection, keys: { userId: 1 }, options: { name: SESSION_INDEXES.user, sparse: true } },
  ]
  if (leases !== undefined) {
    specs.push({
      on: leases,
      keys: { expiresAt: 1 },
      options: { name: SESSION_INDEXES.lease, expireAfterSeconds: 0 },
    })
  }
  const names: string[] = []
  for (const { on, keys, options: indexOptions } of specs) {
    try {
      names.push(await on.createIndex(keys, { ...indexOptions }))
    } catch (error) {
      if (INDEX_CONFLICT_CODES.has((error as { code?: unknown } | null)?.code as number)) {
        throw new MongoIndexConflictError(on.collectionName, indexOptions.name, error)
      }
      throw error
    }
  }
  return names
}

/** The default lease collection of a session collection: `<collectionName>_locks`. */
export function lockCollectionName(collection: { readonly collectionName: string }): string {
  return `${collection.collectionName}_locks`
}
