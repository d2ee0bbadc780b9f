import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { threadId } from 'node:worker_threads'
import { breakName } from './file-names.js'
import { FileStoreLockTimeoutError, type LockHolder } from './file-store-lock-timeout-error.js'
import type { FileStoreFileSystem } from './file-system.js'
import { KeyedMutex } from './keyed-mutex.js'
import { CREATE, errorCode, readMarker, unlinkIfPresent } from './no-follow.js'

/** What a lock file holds. */
interface LockOwner {
  pid: number
  /** `worker_threads` thread id: threads of one process share its pid. */
  tid: number
  host: string
  /** Wall-clock milliseconds when the lock was taken. */
  at: number
  token: string
}

/** A lock file as found: its owner, or (while unwritten or unreadable) its file's mtime. */
export type LockState = { owner: LockOwner } | { owner: null; mtimeMs: number }

interface HeldLock {
  path: string
  token: string
  /** Settles once the owner is written into the lock file (see `#create`). */
  filled: Promise<void>
  /** `performance.now()` when it was taken. */
  since: number
}

const HOST = hostname()
const MAX_POLL_MS = 16

/**
 * What this thread holds, shared by every copy of the package loaded into it (ESM and CJS
 * side by side): the tokens of its lock files, and the in-thread queue per lock path.
 */
interface ThreadLocks {
  tokens: Set<string>
  mutex: KeyedMutex
}
const SHARED = Symbol.for('@tessera/file:thread-locks')
const shared = globalThis as { [SHARED]?: ThreadLocks }
shared[SHARED] ??= { tokens: new Set(), mutex: new KeyedMutex() }
const thread: ThreadLocks = shared[SHARED]

/** What {@link FileLocks.withLock} resolves with for a call that can no longer succeed. */
export const DOOMED: unique symbol = Symbol('doomed')

/**
 * Lets a caller that waits for a lock learn that what it waits to do can no longer succeed
 * (a conditional write whose expected version is gone), and give up without taking the lock:
 * under contention, the queue then holds only the calls that can still win.
 */
export interface LockHooks<Left> {
  /**
   * Called once this call's turn in this thread begins, before the lock file is taken: work
   * started here (writing the new version's file) overlaps taking the lock.
   */
  onTurn?: () => void
  /** What this call leaves behind when it releases the lock (e.g. the version it wrote). */
  leaves?: () => Left | undefined
  /** For a waiter in this thread: true when what the holder left makes this call pointless. */
  doomed?: (left: Left) => boolean
  /** Between polls of a lock another process holds: true when this call is pointless now. */
  recheck?: () => Promise<boolean>
}

export interface FileLocksOptions {
  fs: FileStoreFileSystem
  /** How long {@link FileLocks.withLock} waits before it throws. */
  timeoutMs: number
  /** Age from which a lock is broken even if its process seems alive. */
  staleMs: number
}

/**
 * Exclusive locks between processes on one host: a lock is a file created with `O_EXCL`
 * (`wx`) holding its owner's pid, thread, host, time and a random token.
 *
 * A lock is stale when its owner is this thread but the token is not one it holds, when its
 * owner's pid is gone (same host), or when it is older than `staleMs` (or unreadable and its
 * file older than that). Breaking one takes a second lock, `<lock>.break`, and re-reads the
 * lock under it before unlinking, so two processes that find the same stale lock cannot both
 * break it and then remove the lock the first one took in its place. Only a process that died
 * while holding `<lock>.break` (a few syscalls long) leaves a window, which needs a second
 * crash-time race to matter.
 */
export class FileLocks {
  readonly #fs: FileStoreFileSystem
  readonly #timeoutMs: number
  readonly #staleMs: number

  constructor(options: FileLocksOptions) {
    this.#fs = options.fs
    this.#timeoutMs = options.timeoutMs
    this.#staleMs = options.staleMs
  }

  /**
   * Runs `run` holding the lock file `path`; throws {@link FileStoreLockTimeoutError}.
   * Resolves with {@link DOOMED} instead, without running `run`, when `hooks` tell that the
   * call cannot succeed any more (see {@link LockHooks}).
   */
  async withLock<T, Left = never>(
    path: string,
    run: () => Promise<T>,
    hooks: LockHooks<Left> = {},
  ): Promise<T | typeof DOOMED> {
    const startedAt = performance.now()
    const doomed = hooks.doomed as ((left: unknown) => boolean) | undefined
    const release = await thread.mutex.acquire(path, this.#timeoutMs, doomed)
    if (release === 'doomed') return DOOMED
    if (release === 'timeout') {
      const since = thread.mutex.heldSince(path)
      const heldMs = since === undefined ? 0 : performance.now() - since
      throw new FileStoreLockTimeoutError(path, performance.now() - startedAt, {
        pid: process.pid,
        host: HOST,
        heldMs,
      })
    }
    try {
      hooks.onTurn?.()
      const lock = await this.#acquire(path, startedAt, hooks.recheck)
      if (lock === DOOMED) return DOOMED
      try {
        return await run()
      } finally {
        // Still holding the file lock, so what this call left is what every waiter sees.
        const left = hooks.leaves?.()
        if (left !== undefined) thread.mutex.settle(path, left)
        await this.#release(lock)
      }
    } finally {
      release()
    }
  }

  /** The lock file at `path`, or `null` when there is none. */
  async inspect(path: string): Promise<LockState | null> {
    const found = await readMarker(this.#fs, path, 512, parseOwner)
    if (found === null) return null
    return found.parsed === null ? { owner: null, mtimeMs: found.mtimeMs } : { owner: found.parsed }
  }

  isStale(state: LockState): boolean {
    if (state.owner === null) return Date.now() - state.mtimeMs > this.#staleMs
    const { owner } = state
    if (owner.host === HOST) {
      if (owner.pid === process.pid) {
        if (owner.tid === threadId) return !thread.tokens.has(owner.token)
      } else if (!isProcessAlive(owner.pid)) {
        return true
      }
    }
    return Date.now() - owner.at > this.#staleMs
  }

  /** Breaks the lock at `path` if it is stale; true when no lock is left there. */
  async breakIfStale(path: string): Promise<boolean> {
    const state = await this.inspect(path)
    if (state === null) return true
    return this.isStale(state) && this.#break(path)
  }

  async #acquire(
    path: string,
    startedAt: number,
    recheck: (() => Promise<boolean>) | undefined,
  ): Promise<HeldLock | typeof DOOMED> {
    const deadline = startedAt + this.#timeoutMs
    const token = randomBytes(12).toString('hex')
    // Registered before the file exists, so no one in this thread ever sees it unowned.
    thread.tokens.add(token)
    try {
      for (let attempt = 0; ; attempt++) {
        const created = await this.#create(path, token)
        if (created !== null)
          return { path, token, since: performance.now(), filled: created.filled }
        const state = await this.inspect(path)
        const freed = state === null || (this.isStale(state) && (await this.#break(path)))
        if (freed && performance.now() < deadline) continue
        if (recheck !== undefined && (await recheck())) {
          thread.tokens.delete(token)
          return DOOMED
        }
        const now = performance.now()
        if (now >= deadline) {
          throw new FileStoreLockTimeoutError(path, now - startedAt, holderOf(state))
        }
        await sleep(Math.min(pollDelay(attempt), deadline - now))
      }
    } catch (error) {
      thread.tokens.delete(token)
      throw error
    }
  }

  /**
   * Creates the lock file `path` for `token`: `null` when it exists already, else a promise
   * that settles once the owner is written into it and it is closed. The caller holds the
   * lock from the creation on and need not wait for that: meanwhile the lock is empty, which
   * others judge by its fresh mtime (not stale). A failed write leaves it empty, likewise.
   */
  async #create(path: string, token: string): Promise<{ filled: Promise<void> } | null> {
    let handle: Awaited<ReturnType<FileStoreFileSystem['open']>>
    try {
      handle = await this.#fs.open(path, CREATE, 0o600)
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return null
      throw error
    }
    const owner: LockOwner = { pid: process.pid, tid: threadId, host: HOST, at: Date.now(), token }
    const filled = handle
      .writeFile(Buffer.from(JSON.stringify(owner)))
      .catch(() => {})
      .finally(() => handle.close().catch(() => {}))
    return { filled }
  }

  /** Removes the stale lock at `path`, judged again under `<path>.break`; true if it is gone. */
  async #break(path: string): Promise<boolean> {
    const breakPath = breakName(path)
    const token = randomBytes(12).toString('hex')
    thread.tokens.add(token)
    try {
      const created = await this.#create(breakPath, token)
      if (created === null) {
        // Someone else is breaking it; a breaker that died leaves `.break` stale.
        const other = await this.inspect(breakPath)
        if (other !== null && this.isStale(other)) await unlinkIfPresent(this.#fs, breakPath)
        return false
      }
      try {
        const state = await this.inspect(path)
        if (state === null) return true
        if (!this.isStale(state)) return false
        await unlinkIfPresent(this.#fs, path)
        return true
      } finally {
        await created.filled
        await unlinkIfPresent(this.#fs, breakPath)
      }
    } finally {
      thread.tokens.delete(token)
    }
  }

  /**
   * Unlinks the lock. A lock held for less than half of `staleMs` cannot have been judged
   * stale by anyone (its pid is alive, its age is below the bound), so it is simply removed;
   * one held longer may have been broken and taken by another process, so it is removed
   * only if it is still ours, checked under `<path>.break`. Failures are swallowed: the
   * write is done, and a lock left behind is stale for everyone.
   */
  async #release(lock: HeldLock): Promise<void> {
    await lock.filled
    try {
      if (performance.now() - lock.since < this.#staleMs / 2) {
        await unlinkIfPresent(this.#fs, lock.path)
      } else {
        await this.#releaseLate(lock)
      }
    } catch {
      // See above: nothing to undo, and the lock file is stale once its token is forgotten.
    } finally {
      thread.tokens.delete(lock.token)
    }
  }

  async #releaseLate(lock: HeldLock): Promise<void> {
    const breakPath = breakName(lock.path)
    const deadline = performance.now() + this.#timeoutMs
    for (let attempt = 0; ; attempt++) {
      const created = await this.#create(breakPath, lock.token)
      if (created !== null) {
        await created.filled
        break
      }
      const other = await this.inspect(breakPath)
      if (other !== null && this.isStale(other)) await unlinkIfPresent(this.#fs, breakPath)
      if (performance.now() >= deadline) return
      await sleep(pollDelay(attempt))
    }
    try {
      const state = await this.inspect(lock.path)
      if (state?.owner?.token === lock.token) await unlinkIfPresent(this.#fs, lock.path)
    } finally {
      await unlinkIfPresent(this.#fs, breakPath)
    }
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner> | null
    if (
      owner !== null &&
      Number.isSafeInteger(owner.pid) &&
      (owner.pid as number) > 0 &&
      Number.isSafeInteger(owner.tid) &&
      typeof owner.host === 'string' &&
      Number.isFinite(owner.at) &&
      typeof owner.token === 'string'
    ) {
      return owner as LockOwner
    }
  } catch {
    // Not written yet (a lock is created empty, then filled) or not ours: judged by mtime.
  }
  return null
}

function holderOf(state: LockState | null): LockHolder | null {
  const owner = state?.owner ?? null
  return owner === null ? null : { pid: owner.pid, host: owner.host, heldMs: Date.now() - owner.at }
}

/** Whether a process with this pid exists on this host (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return errorCode(error) === 'EPERM'
  }
}

/** 1, 2, 4 … 16 ms, jittered so that waiting processes do not poll in step. */
function pollDelay(attempt: number): number {
  return Math.min(MAX_POLL_MS, 2 ** attempt) * (0.5 + Math.random())
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
