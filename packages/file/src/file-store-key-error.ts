import { TesseraError } from '@tessera/core'

/**
 * A key handed to {@link FileStore} is not a store key: it must be 1 to
 * {@link MAX_KEY_LENGTH} characters of `[A-Za-z0-9_-]` (the engine's keys are 43-character
 * base64url SHA-256 hashes). Nothing else can reach a file name, so no key can name a path
 * outside the store's directory. The engine reports it as the `cause` of a `SessionStoreError`.
 */
export class FileStoreKeyError extends TesseraError<'FILE_STORE_KEY_INVALID'> {
  /** Length of the rejected key, in UTF-16 code units (the key itself is not kept). */
  readonly keyLength: number

  constructor(key: unknown, maxLength: number) {
    const shown =
      typeof key === 'string'
        ? `a key of ${key.length} characters starting ${JSON.stringify(key.slice(0, 16))}`
        : `a ${typeof key}`
    super(
      'FILE_STORE_KEY_INVALID',
      `FileStore keys must be 1 to ${maxLength} characters of [A-Za-z0-9_-]; got ${shown}. Pass the keys the session engine hands the store (hashes of session ids); never build a key from client input.`,
    )
    this.keyLength = typeof key === 'string' ? key.length : 0
  }
}
