import { TesseraError } from '@tessera/core'

/**
 * A file in the store's directory is not what the store writes. The store writes every file
 * through a temporary file and a rename, so this points at outside interference (an edit,
 * a disk fault, a symbolic link planted in the directory), never at a crash of a writer.
 */
export class FileStoreCorruptError extends TesseraError<'FILE_STORE_FILE_CORRUPT'> {
  /** The offending file. */
  readonly path: string

  constructor(path: string, problem: string, cause?: unknown) {
    super(
      'FILE_STORE_FILE_CORRUPT',
      `${path} ${problem}. FileStore writes only regular files it can read back; delete this file (the session it held is lost) and check what else writes to the store's directory.`,
      { cause },
    )
    this.path = path
  }
}
