import { MongoIndexConflictError } from './mongo-index-conflict-error.js'
import type { MongoIndexCollection } from './mongo-session-collection.js'

/** The names {@link ensureIndexes} gives its indexes. */
export const SESSION_INDEXES = {
  /** TTL index on `expiresAt`: MongoDB deletes a session once its expiry has passed. */
  expiry: 'tessera_expiresAt_ttl',
  /** Sparse index on `userId`, for `listByUser` and `destroyByUser`. */
  user: 'tessera_userId',
} as const

/** Server error codes of `createIndexes` for an index that exists with other options or keys. */
const INDEX_CONFLICT_CODES = new Set([85, 86])

/**
 * Creates the two indexes the session collection needs, if they do not exist yet (an
 * identical index is left as it is), and returns their names:
 *
 * - `{ expiresAt: 1 }`, `expireAfterSeconds: 0`: the TTL index. MongoDB's TTL monitor deletes
 *   each session shortly after its `expiresAt` (it runs about once a minute); the store never
 *   returns an expired session in the meantime.
 * - `{ userId: 1 }`, sparse: anonymous sessions (no `userId` field) stay out of it.
 *
 * Call it once at deploy time (a migration or a deploy script), not on every start: index
 * builds take locks on a large collection. Without the TTL index expired sessions stay
 * invisible but are never deleted.
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
export async function ensureIndexes(collection: MongoIndexCollection): Promise<string[]> {
  const specs = [
    {
      keys: { expiresAt: 1 },
      options: { name: SESSION_INDEXES.expiry, expireAfterSeconds: 0 },
    },
    { keys: { userId: 1 }, options: { name: SESSION_INDEXES.user, sparse: true } },
  ] as const
  const names: string[] = []
  for (const { keys, options } of specs) {
    try {
      names.push(await collection.createIndex(keys, { ...options }))
    } catch (error) {
      if (INDEX_CONFLICT_CODES.has((error as { code?: unknown } | null)?.code as number)) {
        throw new MongoIndexConflictError(collection.collectionName, options.name, error)
      }
      throw error
    }
  }
  return names
}
