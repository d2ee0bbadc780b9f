import { constants } from 'node:fs'
import { FileStoreCorruptError } from './file-store-corrupt-error.js'
import type { FileStoreFileHandle, FileStoreFileSystem } from './file-system.js'

/**
 * `O_NOFOLLOW` where the platform has it (Linux, macOS, the BSDs): opening a symbolic link
 * fails with `ELOOP` (`EMLINK` on FreeBSD) instead of following it out of the directory.
 * Elsewhere (Windows) it is 0 and {@link openExisting} checks with `lstat` first.
 */
const NO_FOLLOW: number = constants.O_NOFOLLOW ?? 0

/** Reading never blocks on a FIFO planted in the directory (a no-op for regular files). */
export const READ = constants.O_RDONLY | NO_FOLLOW | (constants.O_NONBLOCK ?? 0)
/** Rewriting the fixed first line of a session file in place (touch). */
export const UPDATE = constants.O_RDWR | NO_FOLLOW
/** Creating a lock or temporary file: fails if anything, a link included, has the name. */
export const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW

/** True for the errors an `O_NOFOLLOW` open of a symbolic link fails with. */
function isLinkRefusal(error: unknown): boolean {
  const code = errorCode(error)
  return code === 'ELOOP' || code === 'EMLINK'
}

/**
 * `error` as the store reports it: a refused symbolic link becomes a
 * {@link FileStoreCorruptError} naming `path`; anything else is returned unchanged.
 */
export function explainLinkRefusal(error: unknown, path: string): unknown {
  return isLinkRefusal(error)
    ? new FileStoreCorruptError(path, 'is a symbolic link, which the store never follows', error)
    : error
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

async function refuseLinkWithoutNoFollow(fs: FileStoreFileSystem, path: string): Promise<void> {
  if (NO_FOLLOW !== 0) return
  const stats = await fs.lstat(path)
  if (!stats.isFile()) {
    throw Object.assign(new Error(`ELOOP: not a regular file, open '${path}'`), { code: 'ELOOP' })
  }
}

/** Opens an existing file without following a symbolic link. */
export async function openExisting(
  fs: FileStoreFileSystem,
  path: string,
  flags: number,
): Promise<FileStoreFileHandle> {
  await refuseLinkWithoutNoFollow(fs, path)
  return fs.open(path, flags)
}

/**
 * Reads a small marker file (a lock or a lease) without following a symbolic link: what
 * `parse` makes of its first `maxBytes`, or, where that is null (a file still being written,
 * or garbage), the file's mtime, by which it is judged instead. `null` when there is no file.
 */
export async function readMarker<T>(
  fs: FileStoreFileSystem,
  path: string,
  maxBytes: number,
  parse: (text: string) => T | null,
): Promise<{ parsed: T } | { parsed: null; mtimeMs: number } | null> {
  let handle: FileStoreFileHandle
  try {
    handle = await openExisting(fs, path, READ)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null
    throw explainLinkRefusal(error, path)
  }
  try {
    const bytes = Buffer.alloc(maxBytes)
    const { bytesRead } = await handle.read(bytes, 0, maxBytes, 0)
    const parsed = parse(bytes.toString('utf8', 0, bytesRead))
    return parsed !== null ? { parsed } : { parsed: null, mtimeMs: (await handle.stat()).mtimeMs }
  } finally {
    await handle.close()
  }
}

/**
 * Bytes of the first read of a whole file: a typical session fits, so a read is `open`,
 * one `read`, `close` (no `fstat`, which `readFile` always costs).
 */
const FIRST_READ = 8192

/** Reads a whole file without following a symbolic link. */
export async function readExisting(fs: FileStoreFileSystem, path: string): Promise<Buffer> {
  const handle = await openExisting(fs, path, READ)
  try {
    let bytes = Buffer.allocUnsafe(FIRST_READ)
    let length = (await handle.read(bytes, 0, FIRST_READ, 0)).bytesRead
    if (length < FIRST_READ) return bytes.subarray(0, length)
    // Larger: read the rest, to the end even if the size changed meanwhile.
    for (let size = (await handle.stat()).size + 1; ; size = bytes.length * 2) {
      if (size > bytes.length) {
        const grown = Buffer.allocUnsafe(size)
        bytes.copy(grown, 0, 0, length)
        bytes = grown
      }
      const { bytesRead } = await handle.read(bytes, length, bytes.length - length, length)
      length += bytesRead
      if (bytesRead === 0 || length < bytes.length) return bytes.subarray(0, length)
    }
  } finally {
    await handle.close()
  }
}

/** `unlink` that treats an already missing file as done. */
export async function unlinkIfPresent(fs: FileStoreFileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path)
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error
  }
}
