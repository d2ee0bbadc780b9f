import { join } from 'node:path'
import { type DirectorySync, replaceFile } from './atomic-write.js'
import type { FileLocks } from './file-lock.js'
import { indexName, isKey, lockName } from './file-names.js'
import { FileStoreCorruptError } from './file-store-corrupt-error.js'
import type { FileStoreFileSystem } from './file-system.js'
import { errorCode, explainLinkRefusal, readExisting, unlinkIfPresent } from './no-follow.js'

/** An index file's content. */
interface IndexFile {
  userId: string
  keys: string[]
}

/**
 * The per-user index: one file per user (`user.<sha256 of the user id>`) listing the keys of
 * that user's sessions. It is a superset of the user's records: the store adds a key before
 * it writes a record naming the user, and removes it only after that record is gone or names
 * someone else, each under the key's lock, so a crash in between leaves an extra key (which
 * readers skip) and never a missing one. Changes to one index file take its own lock,
 * always after a key lock and never the other way round.
 */
export class UserIndex {
  readonly #fs: FileStoreFileSystem
  readonly #dir: string
  readonly #locks: FileLocks
  /** `null` without `fsync`. */
  readonly #dirSync: DirectorySync | null

  constructor(
    fs: FileStoreFileSystem,
    dir: string,
    locks: FileLocks,
    dirSync: DirectorySync | null,
  ) {
    this.#fs = fs
    this.#dir = dir
    this.#locks = locks
    this.#dirSync = dirSync
  }

  /** The keys listed for `userId` (without locking: index files are replaced atomically). */
  async keys(userId: string): Promise<string[]> {
    return (await this.#read(indexName(userId)))?.keys ?? []
  }

  /** The index file named `name`, for `prune()`; `null` when it is gone or not the store's. */
  async file(name: string): Promise<IndexFile | null> {
    try {
      const index = await this.#read(name)
      return index !== null && indexName(index.userId) === name ? index : null
    } catch (error) {
      if (error instanceof FileStoreCorruptError) return null
      throw error
    }
  }

  /** Lists `key` under `userId`. Call it holding the key's lock. */
  async add(userId: string, key: string): Promise<void> {
    await this.#update(userId, (keys) => (keys.includes(key) ? null : [...keys, key]))
  }

  /** Unlists `key` from `userId`. Call it holding the key's lock. */
  async remove(userId: string, key: string): Promise<void> {
    await this.#update(userId, (keys) =>
      keys.includes(key) ? keys.filter((k) => k !== key) : null,
    )
  }

  /** Rewrites the index under its lock; `change` returns the new keys, or `null` for none. */
  async #update(userId: string, change: (keys: string[]) => string[] | null): Promise<void> {
    const name = indexName(userId)
    await this.#locks.withLock(join(this.#dir, lockName(name)), async () => {
      const keys = change((await this.#read(name))?.keys ?? [])
      if (keys === null) return
      if (keys.length === 0) {
        await unlinkIfPresent(this.#fs, join(this.#dir, name))
      } else {
        const file: IndexFile = { userId, keys }
        const bytes = Buffer.from(JSON.stringify(file))
        await replaceFile(this.#fs, this.#dir, name, bytes, this.#dirSync !== null)
      }
      // Durable before the caller goes on: an added key must never be lost while the session
      // it lists survives a power loss.
      await this.#dirSync?.sync()
    })
  }

  async #read(name: string): Promise<IndexFile | null> {
    const path = join(this.#dir, name)
    let bytes: Buffer
    try {
      bytes = await readExisting(this.#fs, path)
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null
      throw explainLinkRefusal(error, path)
    }
    let parsed: Partial<IndexFile> | null
    try {
      parsed = JSON.parse(bytes.toString('utf8')) as Partial<IndexFile> | null
    } catch (error) {
      throw new FileStoreCorruptError(path, 'is not a JSON index file', error)
    }
    if (typeof parsed?.userId !== 'string' || !Array.isArray(parsed.keys)) {
      throw new FileStoreCorruptError(path, 'is not an index file')
    }
    // A key that is not a store key never reaches a path, wherever the file came from.
    const keys = parsed.keys.filter(isKey)
    return { userId: parsed.userId, keys }
  }
}
