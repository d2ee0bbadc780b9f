import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { replaceFile } from './atomic-write.js'
import type { FileLocks } from './file-lock.js'
import { leaseName, lockName } from './file-names.js'
import type { FileStoreFileHandle, FileStoreFileSystem } from './file-system.js'
import { CREATE, errorCode, explainLinkRefusal, readMarker, unlinkIfPresent } from './no-follow.js'

/** A lease file as found: its holder's token and end, or (unwritten or unreadable) its mtime. */
type LeaseState = { token: string; expiresAt: number } | { token: null; mtimeMs: number }

/** A lease this store took, by token: what `unlock` needs for its fast path. */
interface TakenLease {
  key: string
  /** `performance.now()` before the lease file was written. */
  since: number
  leaseMs: number
}

/** Above this many remembered leases, those that ended are forgotten (they lose the fast path). */
const MAX_REMEMBERED = 1024

export interface FileLeasesOptions {
  fs: FileStoreFileSystem
  dir: string
  /** The store's locks: a lease file is replaced or removed only under its own lock. */
  locks: FileLocks
  /** Age from which an unreadable lease file (its holder died while writing it) is over. */
  staleMs: number
}

/**
 * Exclusive-section leases as files, one per held key: `lease.<encoded key>` beside the
 * session files, holding the holder's random token and the lease's end (`{"token", "expiresAt"}`).
 *
 * - Taking a free lease creates the file with `O_EXCL` (`wx`): of concurrent callers, one
 *   creates it, the others find it and see a running lease.
 * - An ended lease is taken over under the lease file's lock (`lease.<key>.lock`, the store's
 *   ordinary lock file with stale-lock recovery): re-read under it, and if still over,
 *   replaced by a rename, so the file never disappears and no `wx` creator slips in between.
 * - `unlock` removes the file when it still holds the caller's token: at once for a lease that
 *   is less than half through (no one can have taken it over), else checked under the lock,
 *   which every takeover holds too.
 * - A file seen empty or unreadable is a lease being written (its holder fills it right after
 *   creating it); only once it is older than `staleLockAge` is it over.
 */
export class FileLeases {
  readonly #fs: FileStoreFileSystem
  readonly #dir: string
  readonly #locks: FileLocks
  readonly #staleMs: number
  readonly #taken = new Map<string, TakenLease>()

  constructor(options: FileLeasesOptions) {
    this.#fs = options.fs
    this.#dir = options.dir
    this.#locks = options.locks
    this.#staleMs = options.staleMs
  }

  /** Takes the lease on `key` (checked by the caller) for `leaseMs`; `null` while it runs. */
  async lock(key: string, leaseMs: number): Promise<string | null> {
    const name = leaseName(key)
    const path = join(this.#dir, name)
    const token = randomBytes(16).toString('hex')
    const since = performance.now()
    // Whole milliseconds, rounded up so a lease never ends early.
    const bytes = encodeLease(token, Math.ceil(Date.now() + leaseMs))
    let taken = await this.#create(path, bytes)
    if (!taken) {
      const state = await this.#read(path)
      if (state !== null && this.#running(state)) return null
      const replaced = await this.#locks.withLock(lockName(path), async () => {
        const again = await this.#read(path)
        if (again === null) return this.#create(path, bytes)
        if (this.#running(again)) return false
        await replaceFile(this.#fs, this.#dir, name, bytes, false)
        return true
      })
      taken = replaced === true
    }
    if (!taken) return null
    this.#remember(token, { key, since, leaseMs })
    return token
  }

  /** Ends the lease `token` holds on `key` (checked by the caller); a no-op otherwise. */
  async unlock(key: string, token: string): Promise<void> {
    const path = join(this.#dir, leaseName(key))
    const taken = this.#taken.get(token)
    if (taken?.key === key) this.#taken.delete(token)
    if (taken?.key === key && performance.now() - taken.since < taken.leaseMs / 2) {
      // Far from its end: no one can have taken it over, so the file is still ours.
      await unlinkIfPresent(this.#fs, path)
      return
    }
    const state = await this.#read(path)
    if (state?.token !== token) return
    await this.#locks.withLock(lockName(path), async () => {
      if ((await this.#read(path))?.token === token) await unlinkIfPresent(this.#fs, path)
    })
  }

  /** Removes the lease file on `key` if its lease is over (for `prune`); true if removed. */
  async prune(key: string): Promise<boolean> {
    const path = join(this.#dir, leaseName(key))
    const state = await this.#read(path)
    if (state === null || this.#running(state)) return false
    const removed = await this.#locks.withLock(lockName(path), async () => {
      const again = await this.#read(path)
      if (again === null || this.#running(again)) return false
      await unlinkIfPresent(this.#fs, path)
      return true
    })
    return removed === true
  }

  #running(state: LeaseState): boolean {
    return state.token !== null
      ? state.expiresAt > Date.now()
      : Date.now() - state.mtimeMs <= this.#staleMs
  }

  /** Creates the lease file with `bytes`: false when one exists. */
  async #create(path: string, bytes: Uint8Array): Promise<boolean> {
    let handle: FileStoreFileHandle
    try {
      handle = await this.#fs.open(path, CREATE, 0o600)
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false
      throw explainLinkRefusal(error, path)
    }
    try {
      await handle.writeFile(bytes)
    } catch (error) {
      // Ours and unwritten (others judge it by its fresh mtime): remove it, fail the call.
      await handle.close().catch(() => {})
      await unlinkIfPresent(this.#fs, path).catch(() => {})
      throw error
    }
    await handle.close()
    return true
  }

  async #read(path: string): Promise<LeaseState | null> {
    const found = await readMarker(this.#fs, path, 256, parseLease)
    if (found === null) return null
    return found.parsed ?? { token: null, mtimeMs: found.mtimeMs }
  }

  #remember(token: string, taken: TakenLease): void {
    if (this.#taken.size >= MAX_REMEMBERED) {
      const now = performance.now()
      for (const [old, lease] of this.#taken) {
        if (now - lease.since >= lease.leaseMs) this.#taken.delete(old)
      }
    }
    this.#taken.set(token, taken)
  }
}

function encodeLease(token: string, expiresAt: number): Uint8Array {
  return Buffer.from(JSON.stringify({ token, expiresAt }))
}

function parseLease(text: string): { token: string; expiresAt: number } | null {
  try {
    const lease = JSON.parse(text) as { token?: unknown; expiresAt?: unknown } | null
    if (
      lease !== null &&
      typeof lease.token === 'string' &&
      lease.token !== '' &&
      typeof lease.expiresAt === 'number' &&
      Number.isFinite(lease.expiresAt)
    ) {
      return { token: lease.token, expiresAt: lease.expiresAt }
    }
  } catch {
    // Not written yet (the file is created empty, then filled) or not ours: judged by mtime.
  }
  return null
}
