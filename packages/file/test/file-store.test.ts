import {
  constants,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import * as fs from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { SessionConfigError } from '@tessera/core'
import { randomKey, randomUserId } from '@tessera/testkit'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HOST_TAG, indexName, lockName, recordName } from '../src/file-names.js'
import { FileStore, FileStoreCorruptError, type FileStoreFileSystem } from '../src/index.js'
import { HEADER_LENGTH } from '../src/session-file.js'
import { deadPid, farFuture, sleep, tempDir } from './helpers.js'
import { type FsCall, spyingFs } from './spying-fs.js'

const mode = (path: string): number => statSync(path).mode & 0o777

describe('FileStore', () => {
  let root: ReturnType<typeof tempDir>
  beforeEach(() => {
    root = tempDir('store')
  })
  afterEach(() => root.cleanup())

  const record = (
    fields: { version?: number; userId?: string | null; payload?: string; expiresAt?: number } = {},
  ) => ({
    payload: fields.payload ?? `payload-${randomKey()}`,
    version: fields.version ?? 1,
    expiresAt: fields.expiresAt ?? farFuture(),
    userId: fields.userId ?? null,
  })

  describe('directory and file modes', () => {
    it('creates the directory (and missing parents) 0700 on the first write; every file is 0600', async () => {
      const dir = join(root.path, 'a', 'b', 'sessions')
      const seen: Array<{ what: string; mode: number }> = []
      // At the rename, the temporary file and the lock both exist: note their modes.
      const noting: FileStoreFileSystem = {
        ...fs,
        rename: async (from, to) => {
          seen.push({ what: 'temporary file', mode: mode(from) })
          seen.push({ what: 'lock file', mode: mode(`${to}.lock`) })
          return fs.rename(from, to)
        },
      }
      const store = new FileStore({ dir, fs: noting })
      const key = randomKey()
      expect(await store.get(key)).toBeNull()
      expect(existsSync(join(root.path, 'a')), 'a read creates nothing').toBe(false)
      expect(await store.set(key, record({ userId: randomUserId() }), null)).toBe(true)
      expect(mode(join(root.path, 'a'))).toBe(0o700)
      expect(mode(join(root.path, 'a', 'b'))).toBe(0o700)
      expect(mode(dir)).toBe(0o700)
      const files = readdirSync(dir)
      expect(files).toHaveLength(2) // the session and its user's index
      for (const file of files) expect(mode(join(dir, file)), file).toBe(0o600)
      expect(seen.length).toBeGreaterThanOrEqual(4) // index and session, each with its lock
      for (const { what, mode: m } of seen) expect(m, what).toBe(0o600)
    })

    it('creates the directory again if it is deleted while the store runs', async () => {
      const dir = join(root.path, 'sessions')
      const store = new FileStore({ dir })
      expect(await store.set(randomKey(), record(), null)).toBe(true)
      await fs.rm(dir, { recursive: true })
      const key = randomKey()
      const rec = record({ userId: randomUserId() })
      expect(await store.set(key, rec, null)).toBe(true)
      expect(await store.get(key)).toEqual(rec)
      expect(mode(dir)).toBe(0o700)
    })

    it('keeps a session file 0600 after a touch and a rewrite', async () => {
      const store = new FileStore({ dir: root.path })
      const key = randomKey()
      expect(await store.set(key, record(), null)).toBe(true)
      await store.touch(key, farFuture() + 1)
      expect(await store.set(key, record({ version: 2 }), 1)).toBe(true)
      expect(mode(join(root.path, recordName(key)))).toBe(0o600)
    })
  })

  describe('get', () => {
    it('costs open, one read and close (O_NOFOLLOW), for a session; a missing key one open', async () => {
      const calls: FsCall[] = []
      const store = new FileStore({ dir: root.path, fs: spyingFs(calls) })
      const key = randomKey()
      expect(await store.set(key, record(), null)).toBe(true)
      calls.length = 0
      expect(await store.get(key)).not.toBeNull()
      expect(await store.get(randomKey())).toBeNull()
      expect(calls.map((call) => call.method)).toEqual([
        'open',
        'handle.read',
        'handle.close',
        'open',
      ])
      expect((calls[0]?.flags ?? 0) & constants.O_NOFOLLOW).toBe(constants.O_NOFOLLOW)
    })

    it('reads a session larger than its first read to the end', async () => {
      const calls: FsCall[] = []
      const store = new FileStore({ dir: root.path, fs: spyingFs(calls) })
      for (const size of [8192 - 150, 8192, 8192 + 1, 100_000]) {
        const key = randomKey()
        const rec = record({ payload: 'é'.repeat(size / 2) })
        expect(await store.set(key, rec, null)).toBe(true)
        expect(await store.get(key)).toEqual(rec)
      }
    })

    it('reads the first line again when a concurrent touch tore it', async () => {
      const key = randomKey()
      const rec = record()
      await new FileStore({ dir: root.path }).set(key, rec, null)
      const path = join(root.path, recordName(key))
      const whole = readFileSync(path)
      const torn = Buffer.from(whole)
      torn[30] = torn[30] === 0x31 ? 0x32 : 0x31 // a digit of the expiry, as a half-done write leaves it
      let reads = 0
      // Serves the first `times` reads of the session from the torn copy.
      const tearing = (times: number): FileStoreFileSystem => ({
        ...fs,
        open: async (file, flags, mode) => {
          const handle = await fs.open(file, flags, mode)
          if (file !== path) return handle
          const source = reads++ < times ? torn : whole
          return {
            read: async (buffer, offset, length, position) => ({
              bytesRead: source.copy(buffer, offset, position, position + length),
            }),
            write: (...args) => handle.write(...args),
            writeFile: (data) => handle.writeFile(data),
            sync: () => handle.sync(),
            datasync: () => handle.datasync(),
            stat: () => handle.stat(),
            close: () => handle.close(),
          }
        },
      })
      expect(await new FileStore({ dir: root.path, fs: tearing(2) }).get(key)).toEqual(rec)
      expect(reads).toBe(3)
      reads = 0
      await expect(new FileStore({ dir: root.path, fs: tearing(100) }).get(key)).rejects.toThrow(
        /checksum/,
      )
    })

    it('a file the store did not write is a FileStoreCorruptError that names it; destroy removes it', async () => {
      const store = new FileStore({ dir: root.path })
      const key = randomKey()
      writeFileSync(join(root.path, recordName(key)), 'not a session')
      const error = await store.get(key).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(FileStoreCorruptError)
      expect((error as FileStoreCorruptError).path).toBe(join(root.path, recordName(key)))
      expect((error as Error).message).toMatch(/delete this file/)
      expect(await store.prune()).toBe(0) // skipped, not a failure
      await store.destroy(key)
      expect(await store.get(key)).toBeNull()
    })
  })

  describe('touch', () => {
    it('rewrites only the first line in place: no payload write, no rename, same inode', async () => {
      const calls: FsCall[] = []
      const store = new FileStore({ dir: root.path, fs: spyingFs(calls) })
      const key = randomKey()
      const rec = record({ payload: 'p'.repeat(64 * 1024), userId: randomUserId() })
      expect(await store.set(key, rec, null)).toBe(true)
      const path = join(root.path, recordName(key))
      const before = readFileSync(path)
      const inode = statSync(path).ino
      calls.length = 0

      const expiresAt = farFuture() + 12_345
      await store.touch(key, expiresAt)

      const after = readFileSync(path)
      expect(statSync(path).ino).toBe(inode)
      expect(after.subarray(HEADER_LENGTH)).toEqual(before.subarray(HEADER_LENGTH))
      expect(calls.some((call) => call.method === 'rename')).toBe(false)
      expect(
        calls.some(
          (call) =>
            call.method === 'handle.writeFile' &&
            call.paths[0] !== join(root.path, lockName(recordName(key))),
        ),
      ).toBe(false)
      const writes = calls.filter((call) => call.method === 'handle.write')
      expect(writes).toEqual([
        { method: 'handle.write', paths: [path], length: HEADER_LENGTH, position: 0 },
      ])
      expect(await store.get(key)).toEqual({ ...rec, expiresAt })
    })

    it('is safe beside concurrent writes and reads: no torn or lost record, the last touch holds', async () => {
      const store = new FileStore({ dir: root.path, fsync: false })
      const key = randomKey()
      const base = farFuture()
      expect(await store.set(key, record({ payload: 'v1', expiresAt: base }), null)).toBe(true)
      const expiries = new Set([base])
      let writing = true
      const writer = (async () => {
        for (let version = 1; version < 60; version++) {
          const expiresAt = base + version
          expiries.add(expiresAt)
          const next = record({ version: version + 1, payload: `v${version + 1}`, expiresAt })
          expect(await store.set(key, next, version)).toBe(true)
        }
        writing = false
      })()
      const toucher = (async () => {
        for (let i = 0; writing; i++) {
          const expiresAt = base + 1_000_000 + i
          expiries.add(expiresAt)
          await store.touch(key, expiresAt)
        }
      })()
      const reader = (async () => {
        let reads = 0
        while (writing) {
          const got = await store.get(key)
          expect(got?.payload).toBe(`v${got?.version}`)
          expect(expiries.has(got?.expiresAt as number)).toBe(true)
          reads++
        }
        return reads
      })()
      const [, , reads] = await Promise.all([writer, toucher, reader])
      expect(reads).toBeGreaterThan(10)
      await store.touch(key, base + 7)
      expect(await store.get(key)).toEqual(
        record({ version: 60, payload: 'v60', expiresAt: base + 7 }),
      )
    })
  })

  describe('prune', () => {
    it('removes temporary files of writers that are gone and stale locks, keeps live ones and unknown files', async () => {
      const store = new FileStore({ dir: root.path })
      const live = randomKey()
      expect(await store.set(live, record(), null)).toBe(true)
      const dead = await deadPid()
      const owner = (pid: number, at = Date.now()) =>
        JSON.stringify({ pid, tid: 0, host: hostname(), at, token: 't' })
      const put = (name: string, text: string) => writeFileSync(join(root.path, name), text)
      const tag = HOST_TAG
      // A writer that died: its lock and its temporary file.
      put('sess.crashed.lock', owner(dead))
      put(`sess.crashed.${dead}-${tag}-0123456789abcdef.tmp`, 'half a session')
      // Temporary files of running writers: the parent process, and this one.
      put(`sess.busy.${process.ppid}-${tag}-00112233445566aa.tmp`, 'being written')
      put(`sess.mine.${process.pid}-${tag}-00112233445566bb.tmp`, 'being written')
      // One of a writer on another host (its pid means nothing here), too old to be running.
      put(`sess.far.${dead}-00000000-00112233445566cc.tmp`, 'x')
      put(`sess.near.${dead}-00000000-00112233445566dd.tmp`, 'x')
      const old = new Date(Date.now() - 60_000)
      utimesSync(join(root.path, `sess.far.${dead}-00000000-00112233445566cc.tmp`), old, old)
      // A live lock, a breaker that died while breaking, and a lock too old to trust.
      put('sess.busy.lock', owner(process.ppid))
      put('sess.other.lock.break', owner(dead))
      put('sess.old.lock', owner(process.ppid, Date.now() - 60_000))
      // An empty lock (its creator died before writing it), old enough to be stale.
      put('sess.empty.lock', '')
      utimesSync(join(root.path, 'sess.empty.lock'), old, old)
      put('README', 'not ours')

      expect(await store.prune()).toBe(0)
      expect(readdirSync(root.path).sort()).toEqual(
        [
          'README',
          recordName(live),
          `sess.busy.${process.ppid}-${tag}-00112233445566aa.tmp`,
          `sess.mine.${process.pid}-${tag}-00112233445566bb.tmp`,
          `sess.near.${dead}-00000000-00112233445566dd.tmp`,
          'sess.busy.lock',
        ].sort(),
      )
    })

    it('drops index entries of sessions that are gone, and index files left empty', async () => {
      const store = new FileStore({ dir: root.path })
      const alice = randomUserId()
      const kept = randomKey()
      expect(await store.set(kept, record({ userId: alice }), null)).toBe(true)
      const ghost = randomKey()
      const index = join(root.path, indexName(alice))
      writeFileSync(index, JSON.stringify({ userId: alice, keys: [kept, ghost] }))
      const bob = randomUserId()
      writeFileSync(join(root.path, indexName(bob)), JSON.stringify({ userId: bob, keys: [ghost] }))
      expect(await store.prune()).toBe(0)
      expect(JSON.parse(readFileSync(index, 'utf8'))).toEqual({ userId: alice, keys: [kept] })
      expect(existsSync(join(root.path, indexName(bob)))).toBe(false)
    })

    it('runs on pruneInterval until close(), and reports a failed timed prune to onPruneError', async () => {
      const store = new FileStore({ dir: root.path, pruneInterval: 40 })
      const soon = () => Date.now() + 50
      const first = randomKey()
      expect(await store.set(first, record({ expiresAt: soon() }), null)).toBe(true)
      await sleep(300)
      expect(existsSync(join(root.path, recordName(first))), 'pruned by the timer').toBe(false)
      await store.close()
      const second = randomKey()
      expect(await store.set(second, record({ expiresAt: soon() }), null)).toBe(true)
      await sleep(300)
      expect(existsSync(join(root.path, recordName(second))), 'no timer after close()').toBe(true)

      const onPruneError = vi.fn()
      const failing: FileStoreFileSystem = {
        ...fs,
        readdir: async () => {
          throw Object.assign(new Error('EIO: i/o error, scandir'), { code: 'EIO' })
        },
      }
      const broken = new FileStore({ dir: root.path, fs: failing, pruneInterval: 20, onPruneError })
      await vi.waitFor(() => expect(onPruneError).toHaveBeenCalled(), { timeout: 2000 })
      await broken.close()
      expect(onPruneError.mock.calls[0]?.[0]).toMatchObject({ code: 'EIO' })
    })
  })

  describe('options and arguments', () => {
    it.each([
      ['dir', { dir: '' }],
      ['dir', { dir: 'a\u0000b' }],
      ['dir', {}],
      ['lockTimeout', { dir: 'x', lockTimeout: 'soon' }],
      ['staleLockAge', { dir: 'x', staleLockAge: -1 }],
      ['pruneInterval', { dir: 'x', pruneInterval: '0s' }],
    ])('rejects a bad %s with SessionConfigError', (option, options) => {
      const error = (() => {
        try {
          new FileStore(options as never)
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(SessionConfigError)
      expect((error as SessionConfigError).option).toBe(option)
    })

    it('rejects records and expiries the file cannot hold with a TypeError', async () => {
      const store = new FileStore({ dir: root.path })
      const key = randomKey()
      await expect(store.set(key, { ...record(), payload: 1 as never }, null)).rejects.toThrow(
        TypeError,
      )
      await expect(store.set(key, { ...record(), version: 1.5 }, null)).rejects.toThrow(TypeError)
      await expect(store.set(key, { ...record(), expiresAt: Number.NaN }, null)).rejects.toThrow(
        TypeError,
      )
      await expect(store.set(key, { ...record(), userId: 7 as never }, null)).rejects.toThrow(
        TypeError,
      )
      await expect(store.touch(key, Number.POSITIVE_INFINITY)).rejects.toThrow(TypeError)
      expect(readdirSync(root.path)).toEqual([])
    })

    it('keeps fractional and far expiries exactly', async () => {
      const store = new FileStore({ dir: root.path })
      for (const expiresAt of [farFuture() + 0.125, 8.64e15, farFuture() + 1e-7]) {
        const key = randomKey()
        const rec = record({ expiresAt })
        expect(await store.set(key, rec, null)).toBe(true)
        expect(await store.get(key)).toEqual(rec)
      }
    })
  })
})
