import { FileStoreCorruptError } from './file-store-corrupt-error.js'
import type { FileStoreFileHandle, FileStoreFileSystem } from './file-system.js'
import { errorCode, explainLinkRefusal, openExisting, READ, readExisting } from './no-follow.js'
import { decodeHead, type RecordHead } from './session-file.js'

/** Bytes read for a head: the fixed line, the meta line, and typically the payload's start. */
const HEAD_BYTES = 4096
/** Reads of a torn first line (a touch wrote it meanwhile) before it counts as corrupt. */
const TORN_RETRIES = 5

/** A whole session file and its decoded head. */
export interface SessionFile {
  head: RecordHead
  bytes: Buffer
}

/** The session file at `path`, or `null` when there is none. */
export async function readSessionFile(
  fs: FileStoreFileSystem,
  path: string,
): Promise<SessionFile | null> {
  for (let attempt = 0; ; attempt++) {
    let bytes: Buffer
    try {
      bytes = await readExisting(fs, path)
    } catch (error) {
      return missingOrThrow(error, path)
    }
    const head = decodeHead(bytes, true, path)
    if (typeof head !== 'string') return { head, bytes }
    if (attempt === TORN_RETRIES) throw tornError(path)
  }
}

/** The head of the session file at `path` (only its first bytes are read), or `null`. */
export async function readSessionHead(
  fs: FileStoreFileSystem,
  path: string,
): Promise<RecordHead | null> {
  let handle: FileStoreFileHandle
  try {
    handle = await openExisting(fs, path, READ)
  } catch (error) {
    return missingOrThrow(error, path)
  }
  try {
    return await readHeadFrom(handle, path)
  } finally {
    await handle.close()
  }
}

/** The head of the session file open as `handle`. */
export async function readHeadFrom(handle: FileStoreFileHandle, path: string): Promise<RecordHead> {
  let size = HEAD_BYTES
  for (let attempt = 0; ; ) {
    const bytes = Buffer.allocUnsafe(size)
    const { bytesRead } = await handle.read(bytes, 0, size, 0)
    const head = decodeHead(bytes.subarray(0, bytesRead), bytesRead < size, path)
    if (head === 'short') size *= 4
    else if (head !== 'torn') return head
    else if (++attempt > TORN_RETRIES) throw tornError(path)
  }
}

function missingOrThrow(error: unknown, path: string): null {
  if (errorCode(error) === 'ENOENT') return null
  throw explainLinkRefusal(error, path)
}

function tornError(path: string): FileStoreCorruptError {
  return new FileStoreCorruptError(path, 'has a first line whose checksum does not match')
}

/** For callers that pass over what they cannot read: a corrupt file counts as none. */
export function skipCorrupt(error: unknown): null {
  if (error instanceof FileStoreCorruptError) return null
  throw error
}
