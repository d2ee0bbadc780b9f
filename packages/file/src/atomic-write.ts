import { constants } from 'node:fs'
import { join } from 'node:path'
import { tempName } from './file-names.js'
import type { FileStoreFileSystem } from './file-system.js'
import { FreshRuns } from './fresh-runs.js'
import { CREATE, errorCode, unlinkIfPresent } from './no-follow.js'

/**
 * Writes `bytes` to a fresh temporary file beside `dir/name` (same directory, so a rename
 * stays on one file system), fsynced with `durable`, and returns its path. Renaming it over
 * `dir/name` then replaces the file in one step: every reader sees the old file or the new
 * one, never a part.
 */
export async function writeTemporary(
  fs: FileStoreFileSystem,
  dir: string,
  name: string,
  bytes: Uint8Array,
  durable: boolean,
): Promise<string> {
  const temp = join(dir, tempName(name))
  const handle = await fs.open(temp, CREATE, 0o600)
  try {
    await handle.writeFile(bytes)
    if (durable) await handle.sync()
  } catch (error) {
    await handle.close().catch(() => {})
    await unlinkIfPresent(fs, temp).catch(() => {})
    throw error
  }
  await handle.close()
  return temp
}

/**
 * Replaces `dir/name` with `bytes` atomically: {@link writeTemporary}, then a rename. The
 * rename is durable once the directory is synced ({@link DirectorySync}).
 */
export async function replaceFile(
  fs: FileStoreFileSystem,
  dir: string,
  name: string,
  bytes: Uint8Array,
  durable: boolean,
): Promise<void> {
  const temp = await writeTemporary(fs, dir, name, bytes, durable)
  try {
    await fs.rename(temp, join(dir, name))
  } catch (error) {
    await unlinkIfPresent(fs, temp).catch(() => {})
    throw error
  }
}

/**
 * fsyncs one directory, so that renames and removals in it survive a power loss, with group
 * commit: `sync()` resolves after an fsync that started after the call, and concurrent
 * callers share one. Called after a lock is released, so the lock is never held for it.
 */
export class DirectorySync {
  readonly #fs: FileStoreFileSystem
  readonly #dir: string
  readonly #runs = new FreshRuns<void>()

  constructor(fs: FileStoreFileSystem, dir: string) {
    this.#fs = fs
    this.#dir = dir
  }

  sync(): Promise<void> {
    return this.#runs.run('', () => syncDirectory(this.#fs, this.#dir))
  }
}

/** Flushes a directory's entries (renames, unlinks). Platforms that cannot (Windows) skip it. */
async function syncDirectory(fs: FileStoreFileSystem, dir: string): Promise<void> {
  let handle: Awaited<ReturnType<FileStoreFileSystem['open']>>
  try {
    // Plain O_RDONLY: `dir` itself is the user's choice and may be a symbolic link.
    handle = await fs.open(dir, constants.O_RDONLY)
  } catch (error) {
    if (errorCode(error) === 'EISDIR' || errorCode(error) === 'EPERM') return
    throw error
  }
  try {
    await handle.sync()
  } catch (error) {
    if (errorCode(error) !== 'EINVAL' && errorCode(error) !== 'EPERM') throw error
  } finally {
    await handle.close()
  }
}
