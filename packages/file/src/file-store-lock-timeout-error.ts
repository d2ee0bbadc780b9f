import { TesseraError } from '@tessera/core'

/** Who held a lock file when {@link FileStoreLockTimeoutError} gave up, as far as it could tell. */
export interface LockHolder {
  pid: number
  host: string
  /** How long the holder had held the lock, in milliseconds. */
  heldMs: number
}

/**
 * A session's lock could not be had within `lockTimeout`. HTTP 503, like the
 * `SessionStoreError` the engine wraps it in: the next request tries again.
 */
export class FileStoreLockTimeoutError extends TesseraError<'FILE_STORE_LOCK_TIMEOUT'> {
  /** The lock file. */
  readonly lockPath: string
  readonly waitedMs: number
  /** The holder recorded in the lock file; `null` when it could not be read. */
  readonly holder: LockHolder | null

  constructor(lockPath: string, waitedMs: number, holder: LockHolder | null) {
    const by =
      holder === null
        ? 'its holder could not be read'
        : `held by pid ${holder.pid} on ${holder.host} for ${Math.round(holder.heldMs)} ms`
    super(
      'FILE_STORE_LOCK_TIMEOUT',
      `Could not lock ${lockPath} within ${Math.round(waitedMs)} ms (${by}). Another request or process is writing this session; the next request tries again. If writes are legitimately slow (slow disk, large payloads), raise the FileStore \`lockTimeout\` option; a lock whose process died is broken automatically, and one older than \`staleLockAge\` too.`,
      { status: 503 },
    )
    this.lockPath = lockPath
    this.waitedMs = waitedMs
    this.holder = holder
  }
}
