import { TesseraError } from '@tessera/core'

/**
 * The driver answered a write with `acknowledged: false` (write concern `w: 0`). Such a
 * result carries no counts, so the store cannot tell a won conditional write from a conflict,
 * and refuses to guess.
 */
export class MongoWriteUnacknowledgedError extends TesseraError<'MONGO_WRITE_UNACKNOWLEDGED'> {
  readonly collectionName: string

  constructor(collectionName: string) {
    super(
      'MONGO_WRITE_UNACKNOWLEDGED',
      `A write to the session collection "${collectionName}" was not acknowledged (write concern w: 0). MongoStore needs acknowledged writes: drop \`w: 0\` from the client, database or collection options (the default, w: 'majority', is right for sessions).`,
    )
    this.collectionName = collectionName
  }
}
