/** The server's DuplicateKey error code: an insert (or an upsert's insert) hit an existing `_id`. */
export const DUPLICATE_KEY_CODE = 11000

/**
 * True for the driver's duplicate-key error: a `MongoServerError` whose `code` is 11000 (the
 * driver throws the first write error of `insertOne` and `updateOne` as a `MongoServerError`
 * carrying the server's `code`). Checked by code, not class, so errors of any driver major
 * (each ships its own classes) are recognised.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === DUPLICATE_KEY_CODE
  )
}
