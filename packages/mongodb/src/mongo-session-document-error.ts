import { TesseraError } from '@tessera/core'

/**
 * A document the store read is not a session it wrote: a field is missing or has another
 * type. It happens when the collection also holds other data; give sessions a collection of
 * their own. The engine reports it as the `cause` of a `SessionStoreError`.
 */
export class MongoSessionDocumentError extends TesseraError<'MONGO_SESSION_DOCUMENT_INVALID'> {
  readonly collectionName: string
  /** The document's `_id` (the store key). */
  readonly key: string
  /** The first field found wrong: `payload`, `version`, `expiresAt` or `userId`. */
  readonly field: string

  constructor(collectionName: string, key: string, field: string, found: unknown) {
    super(
      'MONGO_SESSION_DOCUMENT_INVALID',
      `The document "${key}" in collection "${collectionName}" is not a Tessera session: its \`${field}\` is ${describe(found)}. Give MongoStore a collection of its own; it holds documents { _id, payload, version, expiresAt, userId? } only.`,
    )
    this.collectionName = collectionName
    this.key = key
    this.field = field
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (value instanceof Date) return `the Date ${String(value)}`
  return `of type ${typeof value}`
}
