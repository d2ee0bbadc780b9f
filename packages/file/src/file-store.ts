import * as nodeFs from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { KeyedStoredSession, SessionStore, StoredSession } from '@tessera/core'
import { parseDuration, SessionConfigError } from '@tessera/core'
import { DirectorySync, writeTemporary } from './atomic-write.js'
import { FileLeases } from './file-leases.js'
import { type DOOMED, FileLocks, isProcessAlive, type LockHooks } from './file-lock.js'
import { checkKey, classify, HOST_TAG, lockName, recordName } from './file-names.js'
import { FileStoreCorruptError } from './file-store-corrupt-error.js'
import type { FileStoreOptions } from './file-store-options.js'
import type { FileStoreFileHandle, FileStoreFileSystem } from './file-system.js'
import { FreshRuns } from './fresh-runs.js'
import {
  errorCode,
  explainLinkRefusal,
  openExisting,
  UPDATE,
  unlinkIfPresent,
} from './no-follow.js'
import { encodeHeader, encodeRecord, type RecordHead } from './session-file.js'
import {
  readHeadFrom,
  readSessionFile,
  readSessionHead,
  type SessionFile,
  skipCorrupt,
} from './session-file-reader.js'
import {
  checkExpiry,
  checkRecord,
  isLive,
  type RecordState,
  refuses,
  toSession,
} from './session-record.js'
import { StoreDirectory } from './store-directory.js'
import { UserIndex } from './user-index.js'

const DEFAULT_LOCK_TIMEOUT = '3s'
const DEFAULT_STALE_LOCK_AGE = '10s'

/**
 * A {@link SessionStore} that keeps one file per session in a directory, for one host: any
 * number of processes (cluster workers, several app instances, a cron job calling `prune()`)
 * may share the directory. Writes are atomic (temporary file, fsync, rename); the
 * conditional write runs under a per-session lock file with stale-lock recovery; `touch`
 * rewrites only the fixed first line; a read takes no lock and costs `open`, `read`, `close`.
 * Exclusive-section leases (`lock`/`unlock`) are files of their own, `lease.<key>`, beside
 * the sessions (see {@link FileLeases}).
 *
 * File names come from the store key alone (checked against `[A-Za-z0-9_-]`, at most 100
 * characters), and files are opened with `O_NOFOLLOW`, so nothing a client sends can name a
 * path outside `dir`.
 *
 * @example
 * ```ts
 * import { createSessionEngine } from '@tessera/core'
 * import { FileStore } from '@tessera/file'
 *
 * const engine = createSessionEngine({
 *   secret: process.env.SESSION_SECRET!,
 *   store: new FileStore({ dir: './sessions', pruneInterval: '10m' }),
 * })
 * ```
 */
export class FileStore implements SessionStore {
  /** The session directory, absolute. */
  readonly dir: string
  readonly #fs: FileStoreFileSystem
  readonly #locks: FileLocks
  readonly #index: UserIndex
  readonly #leases: FileLeases
  /** `null` without `fsync`. */
  readonly #dirSync: DirectorySync | null
  readonly #lockTimeoutMs: number
  readonly #staleMs: number
  readonly #onPruneError: (error: unknown) => void
  readonly #directory: StoreDirectory
  readonly #reads = new FreshRuns<SessionFile | null>()
  #timer: ReturnType<typeof setInterval> | undefined
  #pruning: Promise<void> | undefined

  constructor(options: FileStoreOptions) {
    const dir: unknown = options?.dir
    if (typeof dir !== 'string' || dir === '' || dir.includes('\u0000')) {
      throw new SessionConfigError('dir', 'expected the path of a directory, e.g. `./sessions`.')
    }
    this.dir = resolve(dir)
    this.#fs = options.fs ?? nodeFs
    this.#directory = new StoreDirectory(this.#fs, this.dir)
    this.#dirSync = (options.fsync ?? true) ? new DirectorySync(this.#fs, this.dir) : null
    this.#lockTimeoutMs = parseDuration('lockTimeout', options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT)
    this.#staleMs = parseDuration('staleLockAge', options.staleLockAge ?? DEFAULT_STALE_LOCK_AGE)
    this.#locks = new FileLocks({
      fs: this.#fs,
      timeoutMs: this.#lockTimeoutMs,
      staleMs: this.#staleMs,
    })
    this.#index = new UserIndex(this.#fs, this.dir, this.#locks, this.#dirSync)
    this.#leases = new FileLeases({
      fs: this.#fs,
      dir: this.dir,
      locks: this.#locks,
      staleMs: this.#staleMs,
    })
    this.#onPruneError =
      options.onPruneError ?? ((error) => console.warn('@tessera/file: prune failed', error))
    if (options.pruneInterval !== undefined && options.pruneInterval !== false) {
      const ms = parseDuration('pruneInterval', options.pruneInterval)
      this.#timer = setInterval(() => this.#timedPrune(), ms)
      this.#timer.unref()
    }
  }

  async get(key: string): Promise<StoredSession | null> {
    checkKey(key)
    // Concurrent reads of one session share a read that started after each of them.
    const path = this.#path(recordName(key))
    const file = await this.#reads.run(path, () => readSessionFile(this.#fs, path))
    if (file === null || !isLive(file.head)) return null
    return toSession(file.head, file.bytes)
  }

  async set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    checkKey(key)
    checkRecord(record)
    const name = recordName(key)
    const path = this.#path(name)
    const userId = record.userId ?? null
    const bytes = encodeRecord(record)
    return this.#directory.write(async () => {
      let left: RecordState | undefined
      let temp: Promise<string> | undefined
      let renamed = false
      try {
        await this.#withRecordLock(
          name,
          async () => {
            const current = await readSessionHead(this.#fs, path)
            left = current
            if (refuses(current, expected)) return
            // Index first, record second, unindex last: the index never misses a record.
            const live = current !== null && isLive(current) ? current : null
            if (userId !== null && live?.userId !== userId) await this.#index.add(userId, key)
            await this.#fs.rename(await (temp as Promise<string>), path)
            renamed = true
            left = record
            const before = current?.userId ?? null
            if (before !== null && before !== userId) await this.#unindex(before, key)
          },
          {
            // Our turn in this process: the new file is written (and flushed) while the lock
            // is taken and the current version read, so the lock is held for less.
            onTurn: () => {
              temp = writeTemporary(this.#fs, this.dir, name, bytes, this.#durable)
              temp.catch(() => {}) // awaited below; this only keeps it from being unhandled
            },
            leaves: () => left,
            doomed: (state) => refuses(state, expected),
            recheck: async () => refuses(await readSessionHead(this.#fs, path), expected),
          },
        )
      } finally {
        const unused = renamed ? null : await temp?.catch(() => null)
        if (unused) await unlinkIfPresent(this.#fs, unused).catch(() => {})
      }
      if (!renamed) return false
      await this.#dirSync?.sync() // after the lock is released: it is not held for the fsync
      return true
    })
  }

  /**
   * Moves the expiry by rewriting the fixed first line of the file in place (one write of
   * 74 bytes); the payload is not rewritten. Under the session's lock, so it never lands in
   * a file a concurrent `set` is replacing; flushed after the lock is released.
   */
  async touch(key: string, expiresAt: number): Promise<void> {
    checkKey(key)
    checkExpiry(expiresAt)
    const name = recordName(key)
    const path = this.#path(name)
    const written = await this.#directory.write(() =>
      this.#withRecordLock(name, async () => {
        let handle: FileStoreFileHandle
        try {
          handle = await openExisting(this.#fs, path, UPDATE)
        } catch (error) {
          if (errorCode(error) === 'ENOENT') return null
          throw explainLinkRefusal(error, path)
        }
        try {
          if (!isLive(await readHeadFrom(handle, path))) {
            await handle.close()
            return null
          }
          const line = encodeHeader(expiresAt)
          await handle.write(line, 0, line.length, 0)
          return handle
        } catch (error) {
          await handle.close().catch(() => {})
          throw error
        }
      }),
    )
    if (written === null || typeof written === 'symbol') return
    try {
      if (this.#durable) await written.datasync()
    } finally {
      await written.close()
    }
  }

  async destroy(key: string): Promise<void> {
    checkKey(key)
    let gone = false
    const removed = await this.#directory.write(() =>
      this.#withRecordLock(
        recordName(key),
        async () => {
          const result = await this.#remove(key, () => true)
          gone = true
          return result
        },
        { leaves: () => (gone ? null : undefined) },
      ),
    )
    if (removed !== false) await this.#dirSync?.sync()
  }

  async listByUser(userId: string): Promise<KeyedStoredSession[]> {
    if (typeof userId !== 'string') return []
    const keys = await this.#index.keys(userId)
    const found = await Promise.all(
      keys.map(async (key) => {
        const session = await this.get(key)
        return session !== null && session.userId === userId ? { key, ...session } : null
      }),
    )
    return found.filter((entry) => entry !== null)
  }

  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    if (typeof userId !== 'string') return 0
    let removed = 0
    let unlinked = false
    for (const key of await this.#index.keys(userId)) {
      if (key === exceptKey) continue
      await this.#withRecordLock(recordName(key), async () => {
        const now = Date.now()
        const head = await this.#remove(key, (found) => found.userId === userId)
        if (head !== false) unlinked = true
        if (typeof head !== 'object')
          await this.#index.remove(userId, key) // a leftover entry
        else if (head.expiresAt > now) removed++
      })
    }
    if (unlinked) await this.#dirSync?.sync()
    return removed
  }

  /**
   * Takes the exclusive lease on `key` for `leaseMs`: a token, or `null` while another
   * holder's lease runs. Never waits for the holder (only, at most, for a takeover's few
   * syscalls under the lease file's lock).
   */
  async lock(key: string, leaseMs: number): Promise<string | null> {
    checkKey(key)
    if (!(typeof leaseMs === 'number' && Number.isFinite(leaseMs) && leaseMs > 0)) {
      throw new RangeError(
        `lock() needs leaseMs, a positive finite number of milliseconds; got ${String(leaseMs)}.`,
      )
    }
    return this.#directory.write(() => this.#leases.lock(key, leaseMs))
  }

  /** Ends the lease `token` holds on `key`; a no-op if it ended or was taken over. */
  async unlock(key: string, token: string): Promise<void> {
    checkKey(key)
    if (typeof token !== 'string') return
    await this.#leases.unlock(key, token)
  }

  /**
   * Deletes expired sessions (returns how many), temporary files of writers that died,
   * stale lock files, ended leases (not counted), and index entries of sessions that are gone. Safe to run from several
   * processes at once, and beside live traffic: each deletion is judged again under the
   * lock that writers take.
   */
  async prune(): Promise<number> {
    let names: string[]
    try {
      names = await this.#fs.readdir(this.dir)
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return 0
      throw error
    }
    let removed = 0
    const indexes: string[] = []
    for (const name of names) {
      const file = classify(name)
      if (file === null) continue
      const path = this.#path(name)
      if (file.kind === 'record') {
        if (await this.#pruneRecord(file.key)) removed++
      } else if (file.kind === 'lease') {
        await this.#leases.prune(file.key)
      } else if (file.kind === 'temp') {
        if (await this.#abandoned(path, file)) await unlinkIfPresent(this.#fs, path)
      } else if (file.kind === 'lock') {
        await this.#locks.breakIfStale(path)
      } else if (file.kind === 'break') {
        const state = await this.#locks.inspect(path)
        if (state !== null && this.#locks.isStale(state)) await unlinkIfPresent(this.#fs, path)
      } else {
        indexes.push(name)
      }
    }
    for (const name of indexes) await this.#pruneIndex(name)
    if (removed > 0) await this.#dirSync?.sync()
    return removed
  }

  /** Stops the `pruneInterval` timer and waits for a timed prune that is running. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
    await this.#pruning
  }

  get #durable(): boolean {
    return this.#dirSync !== null
  }

  #path(name: string): string {
    return join(this.dir, name)
  }

  #withRecordLock<T>(
    name: string,
    run: () => Promise<T>,
    hooks?: LockHooks<RecordState>,
  ): Promise<T | typeof DOOMED> {
    return this.#locks.withLock(this.#path(lockName(name)), run, hooks)
  }

  /**
   * Removes the record under `key` if `shouldRemove` says so, then its index entry. Returns
   * the head it removed, `'unreadable'` for a file it removed without reading it as a session
   * (it names no user, so no index entry), or `false` when it removed nothing. Call it
   * holding the key's lock; sync the directory after releasing it.
   */
  async #remove(
    key: string,
    shouldRemove: (head: RecordHead) => boolean,
  ): Promise<RecordHead | 'unreadable' | false> {
    const name = recordName(key)
    let head: RecordHead | null
    try {
      head = await readSessionHead(this.#fs, this.#path(name))
    } catch (error) {
      if (!(error instanceof FileStoreCorruptError)) throw error
      await unlinkIfPresent(this.#fs, this.#path(name))
      return 'unreadable'
    }
    if (head === null || !shouldRemove(head)) return false
    await unlinkIfPresent(this.#fs, this.#path(name))
    if (head.userId !== null) await this.#unindex(head.userId, key)
    return head
  }

  /**
   * Unlists a key whose session no longer names `userId`. A failure is swallowed: the write
   * or removal is done, and an extra index entry is harmless (readers skip it, prune drops it).
   */
  async #unindex(userId: string, key: string): Promise<void> {
    await this.#index.remove(userId, key).catch(() => {})
  }

  /**
   * Whether a temporary file's writer is gone: its pid (in the name) no longer runs on this
   * host, or the file is older than any write can take (`staleLockAge` + `lockTimeout`).
   */
  async #abandoned(path: string, temp: { pid: number; host: string }): Promise<boolean> {
    if (temp.host === HOST_TAG && temp.pid !== process.pid && !isProcessAlive(temp.pid)) {
      return true
    }
    try {
      const { mtimeMs } = await this.#fs.lstat(path)
      return Date.now() - mtimeMs > this.#staleMs + this.#lockTimeoutMs
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false
      throw error
    }
  }

  async #pruneRecord(key: string): Promise<boolean> {
    const expired = (head: RecordHead) => !isLive(head)
    const head = await readSessionHead(this.#fs, this.#path(recordName(key))).catch(skipCorrupt)
    if (head === null || !expired(head)) return false
    const removed = await this.#withRecordLock(recordName(key), () => this.#remove(key, expired))
    return typeof removed === 'object'
  }

  /** Drops index entries whose session is gone, expired or now someone else's. */
  async #pruneIndex(name: string): Promise<void> {
    const index = await this.#index.file(name)
    if (index === null) return
    const listed = async (key: string): Promise<boolean> => {
      const head = await readSessionHead(this.#fs, this.#path(recordName(key))).catch(skipCorrupt)
      return head !== null && isLive(head) && head.userId === index.userId
    }
    for (const key of index.keys) {
      if (await listed(key)) continue
      await this.#withRecordLock(recordName(key), async () => {
        if (!(await listed(key))) await this.#index.remove(index.userId, key)
      })
    }
  }

  #timedPrune(): void {
    if (this.#pruning) return
    this.#pruning = this.prune()
      .then(
        () => {},
        (error: unknown) => this.#onPruneError(error),
      )
      .finally(() => {
        this.#pruning = undefined
      })
  }
}
