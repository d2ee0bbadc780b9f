import type { StoredSession } from '@tessera/core'
import { FileStoreCorruptError } from './file-store-corrupt-error.js'

/**
 * Layout of a session file:
 *
 * ```text
 * tessera-session 1 expires=1767225600000                    check=1a2b3c4d\n   fixed 74 bytes
 * {"version":3,"userId":"alice"}\n                                                meta line
 * <payload, UTF-8, to the end of the file>
 * ```
 *
 * The first line has a fixed width so that `touch` can rewrite the expiry in place (one
 * `pwrite` of 74 bytes) without rewriting the payload. A reader does not lock, so it may read
 * that line while a touch writes it; the checksum tells a torn read, which is read again.
 */
const MAGIC = Buffer.from('tessera-session 1 expires=', 'latin1')
const EXPIRY_WIDTH = 32
const CHECK_LABEL = Buffer.from(' check=', 'latin1')
const CHECK_AT = MAGIC.length + EXPIRY_WIDTH + CHECK_LABEL.length
/** Bytes of the fixed first line, newline included. */
export const HEADER_LENGTH = CHECK_AT + 8 + 1
const NEWLINE = 10

/** What the store needs to decide a conditional write: everything but the payload. */
export interface RecordHead {
  version: number
  expiresAt: number
  userId: string | null
  /** Offset of the first payload byte. */
  payloadAt: number
}

/** A head that cannot be judged yet: `torn` (read again), `short` (read more of the file). */
export type Undecided = 'torn' | 'short'

/** FNV-1a, 32 bits: enough to tell a torn line from a whole one. */
function checksum(bytes: Uint8Array, from: number, to: number): string {
  let hash = 0x811c9dc5
  for (let i = from; i < to; i++) {
    hash ^= bytes[i] as number
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(16).padStart(8, '0')
}

/** The fixed first line for `expiresAt`; `touch` writes exactly this at offset 0. */
export function encodeHeader(expiresAt: number): Buffer {
  const text = String(expiresAt)
  const line = Buffer.alloc(HEADER_LENGTH, 0x20)
  MAGIC.copy(line, 0)
  line.write(text, MAGIC.length, 'latin1')
  CHECK_LABEL.copy(line, MAGIC.length + EXPIRY_WIDTH)
  line.write(checksum(line, MAGIC.length, MAGIC.length + EXPIRY_WIDTH), CHECK_AT, 'latin1')
  line[HEADER_LENGTH - 1] = NEWLINE
  return line
}

/** A whole session file. */
export function encodeRecord(record: StoredSession): Buffer {
  const meta = `${JSON.stringify({ version: record.version, userId: record.userId ?? null })}\n`
  const metaBytes = Buffer.byteLength(meta)
  const file = Buffer.allocUnsafe(HEADER_LENGTH + metaBytes + Buffer.byteLength(record.payload))
  encodeHeader(record.expiresAt).copy(file, 0)
  file.write(meta, HEADER_LENGTH)
  file.write(record.payload, HEADER_LENGTH + metaBytes)
  return file
}

/**
 * The head of a session file from its first bytes (`complete`: `bytes` is the whole file).
 * Throws {@link FileStoreCorruptError} for a file the store did not write.
 */
export function decodeHead(bytes: Buffer, complete: boolean, path: string): RecordHead | Undecided {
  if (bytes.length < HEADER_LENGTH) {
    if (complete) throw new FileStoreCorruptError(path, 'is too short to be a session file')
    return 'short'
  }
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new FileStoreCorruptError(path, 'does not start like a session file')
  }
  const sum = bytes.toString('latin1', CHECK_AT, CHECK_AT + 8)
  if (sum !== checksum(bytes, MAGIC.length, MAGIC.length + EXPIRY_WIDTH)) return 'torn'
  const expiresAt = Number(bytes.toString('latin1', MAGIC.length, MAGIC.length + EXPIRY_WIDTH))
  const end = bytes.indexOf(NEWLINE, HEADER_LENGTH)
  if (end === -1) {
    if (complete) throw new FileStoreCorruptError(path, 'has no end to its meta line')
    return 'short'
  }
  let meta: unknown
  try {
    meta = JSON.parse(bytes.toString('utf8', HEADER_LENGTH, end))
  } catch (error) {
    throw new FileStoreCorruptError(path, 'has a meta line that is not JSON', error)
  }
  const { version, userId } = (meta ?? {}) as { version?: unknown; userId?: unknown }
  if (
    !Number.isFinite(expiresAt) ||
    !Number.isSafeInteger(version) ||
    !(userId === null || typeof userId === 'string')
  ) {
    throw new FileStoreCorruptError(path, 'has an invalid expiry, version or user id')
  }
  return { version: version as number, expiresAt, userId, payloadAt: end + 1 }
}
