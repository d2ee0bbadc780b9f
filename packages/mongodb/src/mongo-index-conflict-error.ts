import { TesseraError } from '@tessera/core'

/**
 * {@link ensureIndexes} met an existing index on the same field with other options (server
 * error 85, IndexOptionsConflict) or an index of the same name on other keys (86,
 * IndexKeySpecsConflict), e.g. a plain `expiresAt_1` index where the TTL index belongs.
 */
export class MongoIndexConflictError extends TesseraError<'MONGO_INDEX_CONFLICT'> {
  readonly collectionName: string
  /** The index `ensureIndexes` tried to create. */
  readonly index: string

  constructor(collectionName: string, index: string, cause: unknown) {
    super(
      'MONGO_INDEX_CONFLICT',
      `Cannot create the index "${index}" on collection "${collectionName}": an existing index conflicts with it (${cause instanceof Error ? cause.message : String(cause)}). Drop the conflicting index (\`collection.dropIndex(name)\`) and run ensureIndexes again.`,
      { cause },
    )
    this.collectionName = collectionName
    this.index = index
  }
}
