import type { Duration } from '@tessera/core'
import type { FileStoreFileSystem } from './file-system.js'

/**
 * Options of {@link FileStore}.
 *
 * @example
 * ```ts
 * import { createSessionEngine } from '@tessera/core'
 * import { FileStore } from '@tessera/file'
 *
 * const store = new FileStore({
 *   dir: './sessions', // created 0700 on first write; one 0600 file per session
 *   pruneInterval: '10m', // delete expired sessions in the background
 * })
 * const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })
 * // …
 * await store.close() // stops the prune timer
 * ```
 */
export interface FileStoreOptions {
  /**
   * The directory that holds the sessions, on a local file system. Created (mode 0700, with
   * its parents) on the first write if missing; an existing directory is used as it is.
   * Give the store a directory of its own: it reads and deletes only the names it writes
   * (`sess.*`, `user.*`, `lease.*`, `*.lock`, `*.tmp`), but `prune()` scans everything in it.
   */
  dir: string
  /**
   * How long a write waits for a session's lock (held by a concurrent write in this or
   * another process) before it fails with `FileStoreLockTimeoutError` (the engine answers
   * 503). Keep it below the engine's `storeTimeout` (default 5 s) so that the error says what
   * happened. Default `'3s'`.
   */
  lockTimeout?: Duration
  /**
   * A lock held this long is broken even though its process still seems to run (a pid that
   * was reused, a stuck process, another host). A lock whose process is gone is broken at
   * once. Keep it well above the longest write. Default `'10s'`.
   */
  staleLockAge?: Duration
  /**
   * Runs {@link FileStore.prune} this often on a timer that does not keep the process alive;
   * `close()` stops it. Default: off, call `prune()` yourself (a cron job, say). Expired
   * sessions are invisible either way.
   */
  pruneInterval?: Duration | false
  /** Called when a timed prune fails. Default: `console.warn`. */
  onPruneError?: (error: unknown) => void
  /**
   * fsync every new file before its rename and the directory after a rename or removal, so
   * acknowledged writes survive a power loss. `false` is faster and still atomic (a reader
   * or a crashed process never sees half a file), but a power loss may undo recent writes,
   * logouts included. Default `true`.
   */
  fsync?: boolean
  /**
   * The file system to use; default `node:fs/promises`. For tracing, counting or fault
   * injection: see {@link FileStoreFileSystem}.
   */
  fs?: FileStoreFileSystem
}
