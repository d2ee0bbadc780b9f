import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import * as fs from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { createSessionEngine, SessionStoreError } from '@tessera/core'
import { exchange, randomKey } from '@tessera/testkit'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { breakName, lockName, recordName } from '../src/file-names.js'
import { FileStore, type FileStoreFileSystem, FileStoreLockTimeoutError } from '../src/index.js'
import type { CartData } from './fixtures/cart-data.js'
import { deadPid, farFuture, tempDir } from './helpers.js'

describe('FileStore locking', () => {
  let root: ReturnType<typeof tempDir>
  let dead: number
  /** A process that stays alive during the tests: its locks are not stale by pid. */
  let alive: ChildProcess
  beforeAll(async () => {
    dead = await deadPid()
    alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120_000)'], { stdio: 'ignore' })
  })
  afterAll(() => {
    alive.kill()
  })
  beforeEach(() => {
    root = tempDir('locks')
  })
  afterEach(() => root.cleanup())

  const expiresAt = farFuture()
  const record = (version = 1) => ({
    payload: `v${version}`,
    version,
    expiresAt,
    userId: null,
  })
  const owner = (fields: {
    pid: number
    at?: number
    host?: string
    tid?: number
    token?: string
  }) => JSON.stringify({ tid: 0, host: hostname(), at: Date.now(), token: 'planted', ...fields })

  /** A key with a session at version 1, and the path of its lock. */
  async function sessionWithLock(store: FileStore): Promise<{ key: string; lock: string }> {
    const key = randomKey()
    expect(await store.set(key, record(1), null)).toBe(true)
    return { key, lock: join(root.path, lockName(recordName(key))) }
  }

  /** Runs a write and returns whether it won and how long it took. */
  async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const startedAt = performance.now()
    const value = await run()
    return { value, ms: performance.now() - startedAt }
  }

  describe('stale locks are broken', () => {
    it.each([
      ['whose process is gone', () => owner({ pid: dead })],
      [
        'older than staleLockAge, though its process lives',
        () => owner({ pid: alive.pid as number, at: Date.now() - 10_000 }),
      ],
      [
        'of this very thread, but not one it holds (left by a previous run with the same pid)',
        () => owner({ pid: process.pid, tid: threadId }),
      ],
    ])('a lock %s: the write goes ahead at once', async (_, content) => {
      // Well above the time a write takes, so "at once" cannot be a wait for the age bound.
      const store = new FileStore({ dir: root.path, staleLockAge: '4s', lockTimeout: '8s' })
      const { key, lock } = await sessionWithLock(store)
      writeFileSync(lock, content())
      const { value, ms } = await timed(() => store.set(key, record(2), 1))
      expect(value).toBe(true)
      expect(ms).toBeLessThan(2000)
      expect(existsSync(lock)).toBe(false)
      expect(await store.get(key)).toEqual(record(2))
    })

    it('an empty lock (its creator died before writing it) once its file is older than staleLockAge', async () => {
      const store = new FileStore({ dir: root.path, staleLockAge: '1s', lockTimeout: '300ms' })
      const { key, lock } = await sessionWithLock(store)
      writeFileSync(lock, '')
      await expect(
        store.set(key, record(2), 1),
        'a fresh empty lock is being written',
      ).rejects.toBeInstanceOf(FileStoreLockTimeoutError)
      const past = new Date(Date.now() - 5_000)
      utimesSync(lock, past, past)
      expect(await store.set(key, record(2), 1)).toBe(true)
    })

    it('a stale lock whose breaker died mid-break: both are cleared', async () => {
      const store = new FileStore({ dir: root.path, lockTimeout: '2s' })
      const { key, lock } = await sessionWithLock(store)
      writeFileSync(lock, owner({ pid: dead }))
      writeFileSync(breakName(lock), owner({ pid: dead }))
      const { value, ms } = await timed(() => store.set(key, record(2), 1))
      expect(value).toBe(true)
      expect(ms).toBeLessThan(2000) // the default staleLockAge is 10 s
      expect(existsSync(breakName(lock))).toBe(false)
    })

    it('a lock from another host is judged by age only (its pid means nothing here)', async () => {
      const store = new FileStore({ dir: root.path, staleLockAge: '10s', lockTimeout: '300ms' })
      const { key, lock } = await sessionWithLock(store)
      writeFileSync(lock, owner({ pid: dead, host: 'another-host' }))
      await expect(store.set(key, record(2), 1)).rejects.toBeInstanceOf(FileStoreLockTimeoutError)
      writeFileSync(lock, owner({ pid: dead, host: 'another-host', at: Date.now() - 60_000 }))
      expect(await store.set(key, record(2), 1)).toBe(true)
    })
  })

  describe('a lock that cannot be had', () => {
    it('fails after lockTimeout with FileStoreLockTimeoutError (503) naming the holder; nothing is written', async () => {
      const store = new FileStore({ dir: root.path, lockTimeout: '300ms' })
      const { key, lock } = await sessionWithLock(store)
      writeFileSync(lock, owner({ pid: alive.pid as number }))
      const startedAt = performance.now()
      const error = await store.set(key, record(2), 1).catch((e: unknown) => e)
      const waited = performance.now() - startedAt
      expect(error).toBeInstanceOf(FileStoreLockTimeoutError)
      const timeout = error as FileStoreLockTimeoutError
      expect(timeout.code).toBe('FILE_STORE_LOCK_TIMEOUT')
      expect(timeout.status).toBe(503)
      expect(timeout.holder?.pid).toBe(alive.pid)
      expect(timeout.lockPath).toBe(lock)
      expect(timeout.message).toContain(`pid ${alive.pid}`)
      expect(timeout.message).toContain('lockTimeout')
      expect(waited).toBeGreaterThanOrEqual(290)
      expect(waited).toBeLessThan(1500)
      expect(readFileSync(lock, 'utf8')).toBe(
        owner({ pid: alive.pid as number, at: JSON.parse(readFileSync(lock, 'utf8')).at }),
      )
      expect(await store.get(key)).toEqual(record(1))
      await expect(store.touch(key, farFuture())).rejects.toBeInstanceOf(FileStoreLockTimeoutError)
      await expect(store.destroy(key)).rejects.toBeInstanceOf(FileStoreLockTimeoutError)
    })

    it('through the engine: a SessionStoreError (503) whose cause is the lock timeout', async () => {
      const store = new FileStore({ dir: root.path, lockTimeout: '200ms' })
      const engine = createSessionEngine<CartData>({
        secret: 'tessera-file-locking-secret-0123456789',
        store,
      })
      const { cookie } = await exchange(engine, undefined, (s) => s.set('cart', ['a']))
      const [name] = (await fs.readdir(root.path)).filter((file) => file.startsWith('sess.'))
      writeFileSync(join(root.path, lockName(name as string)), owner({ pid: alive.pid as number }))
      const error = await exchange(engine, cookie, (s) => s.set('cart', ['a', 'b'])).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(SessionStoreError)
      expect((error as SessionStoreError).status).toBe(503)
      expect((error as SessionStoreError).cause).toBeInstanceOf(FileStoreLockTimeoutError)
    })

    it('a writer in this process that holds the lock too long: the queued one times out too', async () => {
      let finishRename: () => void = () => {}
      const renameHeld = new Promise<void>((resolve) => {
        finishRename = resolve
      })
      let renameEntered: () => void = () => {}
      const entered = new Promise<void>((resolve) => {
        renameEntered = resolve
      })
      let holding = false
      const slowRename: FileStoreFileSystem = {
        ...fs,
        rename: async (from, to) => {
          if (holding) {
            holding = false
            renameEntered()
            await renameHeld
          }
          return fs.rename(from, to)
        },
      }
      const store = new FileStore({ dir: root.path, lockTimeout: '200ms', fs: slowRename })
      const { key } = await sessionWithLock(store)
      holding = true
      const first = store.set(key, record(2), 1)
      await entered // the first write holds the lock, stopped at its rename
      const startedAt = performance.now()
      const error = await store.set(key, record(3), 2).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(FileStoreLockTimeoutError)
      expect((error as FileStoreLockTimeoutError).holder?.pid).toBe(process.pid)
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(190)
      finishRename()
      expect(await first).toBe(true)
    })

    it('queued writes that can no longer win are refused as soon as the holder is done', async () => {
      let finishRename: () => void = () => {}
      const renameHeld = new Promise<void>((resolve) => {
        finishRename = resolve
      })
      let holding = true
      const calls: string[] = []
      const slowRename: FileStoreFileSystem = {
        ...fs,
        open: (path, flags, mode) => {
          calls.push(path)
          return fs.open(path, flags, mode)
        },
        rename: async (from, to) => {
          if (holding) {
            holding = false
            await renameHeld
          }
          return fs.rename(from, to)
        },
      }
      const store = new FileStore({ dir: root.path, fs: slowRename })
      const key = randomKey()
      const first = store.set(key, record(1), null)
      await new Promise((resolve) => setTimeout(resolve, 50))
      // Queued behind the first: three that expect no record, one that expects version 1.
      const queued = [
        store.set(key, record(1), null),
        store.set(key, record(1), null),
        store.set(key, record(1), null),
        store.set(key, record(2), 1),
      ]
      calls.length = 0
      finishRename()
      expect(await first).toBe(true)
      expect(await Promise.all(queued)).toEqual([false, false, false, true])
      // The three losers never took the lock nor wrote a file: only the version-2 write did.
      expect(calls.filter((path) => path.endsWith('.lock'))).toHaveLength(1)
      expect(calls.filter((path) => path.endsWith('.tmp'))).toHaveLength(1)
      expect(await store.get(key)).toEqual(record(2))
    })
  })

  describe('release', () => {
    it('a lock held past half of staleLockAge is removed only if it is still ours', async () => {
      let swap: (() => void) | undefined
      const swapping: FileStoreFileSystem = {
        ...fs,
        rename: async (from, to) => {
          swap?.()
          await new Promise((resolve) => setTimeout(resolve, 150))
          return fs.rename(from, to)
        },
      }
      const store = new FileStore({ dir: root.path, staleLockAge: '200ms', fs: swapping })
      const { key, lock } = await sessionWithLock(store)
      expect(existsSync(lock), 'a lock held 150 ms of 200 is released too').toBe(false)
      // While the write holds the lock, another process breaks it (it looked stale) and
      // takes it: the write must not remove that process's lock when it finishes.
      const theirs = owner({ pid: alive.pid as number, token: 'theirs' })
      swap = () => {
        writeFileSync(lock, theirs)
      }
      expect(await store.set(key, record(2), 1)).toBe(true)
      expect(readFileSync(lock, 'utf8')).toBe(theirs)
      expect(existsSync(breakName(lock))).toBe(false)
    })
  })
})
