import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import { randomKey, randomUserId } from '@tessera/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { indexName, lockName, recordName } from '../src/file-names.js'
import {
  FileStore,
  FileStoreCorruptError,
  FileStoreKeyError,
  MAX_KEY_LENGTH,
} from '../src/index.js'
import { encodeRecord } from '../src/session-file.js'
import { farFuture, tempDir } from './helpers.js'
import { type FsCall, spyingFs } from './spying-fs.js'

const CRAFTED_KEYS: Array<[string, string]> = [
  ['parent', '../x'],
  ['deep parent', '../../../../../../etc/passwd'],
  ['absolute', '/etc/passwd'],
  ['absolute temp', '/tmp/x'],
  ['Windows parent', '..\\x'],
  ['Windows deep parent', '..\\..\\Windows\\win.ini'],
  ['Windows drive', 'C:\\x'],
  ['percent-encoded parent', '%2e%2e'],
  ['percent-encoded traversal', '%2e%2e%2fx'],
  ['NUL inside', 'a\u0000b'],
  ['NUL alone', '\u0000'],
  ['4 KB', 'a'.repeat(4096)],
  ['one over the bound', 'a'.repeat(MAX_KEY_LENGTH + 1)],
  ['empty', ''],
  ['dot', '.'],
  ['dot dot', '..'],
  ['separator', 'a/b'],
  ['backslash', 'a\\b'],
  ['dotted', 'sess.x'],
  ['newline', 'a\nb'],
  ['space', 'a b'],
  ['non-ASCII', 'é'],
  ['fullwidth dot', '\uff0e\uff0e'],
]

describe('FileStore: nothing a key or user id holds reaches a path outside dir', () => {
  let parent: ReturnType<typeof tempDir>
  let dir: string
  let calls: FsCall[]
  let store: FileStore

  beforeEach(async () => {
    parent = tempDir('keys')
    dir = join(parent.path, 'sessions')
    writeFileSync(join(parent.path, 'x'), 'a file beside the store')
    calls = []
    store = new FileStore({ dir, fs: spyingFs(calls) })
    // One write, so the directory exists and every later call has something to find.
    expect(await store.set(randomKey(), record(), null)).toBe(true)
  })
  afterEach(() => parent.cleanup())

  const record = (userId: string | null = null) => ({
    payload: '{"a":1}',
    version: 1,
    expiresAt: farFuture(),
    userId,
  })

  /** Every path the store named so far is `dir` or directly inside it. */
  function expectOnlyPathsInsideDir(): void {
    expect(calls.length).toBeGreaterThan(0)
    for (const call of calls) {
      for (const path of call.paths) {
        expect(resolve(path), `${call.method} named a path with . or ..`).toBe(path)
        if (path === dir) continue
        expect(path.startsWith(dir + sep), `${call.method}(${path})`).toBe(true)
        expect(path.slice(dir.length + 1)).not.toContain(sep)
      }
    }
  }

  it.each(CRAFTED_KEYS)(
    'rejects a %s key with FileStoreKeyError before any file system call',
    async (_, key) => {
      const before = readdirSync(parent.path).sort()
      const inDir = readdirSync(dir).sort()
      calls.length = 0
      const attempts = [
        store.get(key),
        store.set(key, record(), null),
        store.set(key, { ...record(), version: 2 }, 1),
        store.touch(key, farFuture()),
        store.destroy(key),
      ]
      for (const attempt of attempts) {
        const error = await attempt.then(
          () => null,
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(FileStoreKeyError)
        expect((error as FileStoreKeyError).code).toBe('FILE_STORE_KEY_INVALID')
        expect((error as Error).message).toContain('[A-Za-z0-9_-]')
        expect((error as Error).message).not.toContain('\u0000')
      }
      expect(calls, 'the key reached the file system').toEqual([])
      expect(readdirSync(parent.path).sort()).toEqual(before)
      expect(readdirSync(dir).sort()).toEqual(inDir)
    },
  )

  it(`accepts a key of exactly ${MAX_KEY_LENGTH} characters`, async () => {
    const key = `${randomKey()}${'-_Az09'.repeat(20)}`.slice(0, MAX_KEY_LENGTH)
    const rec = record()
    expect(await store.set(key, rec, null)).toBe(true)
    expect(await store.get(key)).toEqual(rec)
    expectOnlyPathsInsideDir()
  })

  it('crafted user ids are hashed into index names: listed and revoked, never a path', async () => {
    const before = readdirSync(parent.path).sort()
    const userIds = [
      '../x',
      '../../etc/passwd',
      '/etc/passwd',
      '..\\x',
      '%2e%2e',
      'a\u0000b',
      'é/🙂',
      'u'.repeat(4096),
    ]
    const keyOf = new Map<string, string>()
    for (const userId of userIds) {
      const key = randomKey()
      keyOf.set(userId, key)
      expect(await store.set(key, record(userId), null)).toBe(true)
    }
    for (const userId of userIds) {
      expect((await store.listByUser(userId)).map((entry) => entry.key)).toEqual([
        keyOf.get(userId),
      ])
    }
    for (const userId of userIds) expect(await store.destroyByUser(userId)).toBe(1)
    expect(await store.prune()).toBe(0)
    expect(readdirSync(parent.path).sort()).toEqual(before)
    expect(
      readdirSync(dir).every((name) => /^(sess\.[a-z0-9_-]+|user\.[0-9a-f]{64})$/.test(name)),
    ).toBe(true)
    expectOnlyPathsInsideDir()
  })

  it('an index file edited to list crafted keys lists only real sessions and names no outside path', async () => {
    const key = randomKey()
    expect(await store.set(key, record('mallory'), null)).toBe(true)
    const keys = ['../x', '/etc/passwd', '..\\x', '%2e%2e', 'a\u0000b', 'a'.repeat(4096), key]
    writeFileSync(join(dir, indexName('mallory')), JSON.stringify({ userId: 'mallory', keys }))
    calls.length = 0
    expect((await store.listByUser('mallory')).map((entry) => entry.key)).toEqual([key])
    expect(await store.destroyByUser('mallory')).toBe(1)
    expect(await store.prune()).toBe(0)
    expectOnlyPathsInsideDir()
    expect(readFileSync(join(parent.path, 'x'), 'utf8')).toBe('a file beside the store')
  })

  describe('symbolic links planted in dir are never followed', () => {
    const secret = () => join(parent.path, 'outside')
    const outside = encodeRecord({ payload: 'outside', version: 7, expiresAt: farFuture() })
    const outsideRecord = () => outside

    it('a session file that is a link: get, set and touch refuse it, destroy removes only the link', async () => {
      const key = randomKey()
      writeFileSync(secret(), outsideRecord())
      symlinkSync(secret(), join(dir, recordName(key)))
      await expect(store.get(key)).rejects.toBeInstanceOf(FileStoreCorruptError)
      await expect(store.get(key)).rejects.toThrow(/symbolic link/)
      await expect(store.set(key, { ...record(), version: 8 }, 7)).rejects.toBeInstanceOf(
        FileStoreCorruptError,
      )
      await expect(store.touch(key, farFuture() + 1000)).rejects.toBeInstanceOf(
        FileStoreCorruptError,
      )
      expect(readFileSync(secret())).toEqual(outsideRecord())
      await store.destroy(key)
      expect(readdirSync(dir)).not.toContain(recordName(key))
      expect(readFileSync(secret())).toEqual(outsideRecord())
    })

    it('a lock file that is a link (dangling): the write fails and creates nothing outside', async () => {
      const key = randomKey()
      symlinkSync(secret(), join(dir, lockName(recordName(key))))
      await expect(store.set(key, record(), null)).rejects.toBeInstanceOf(FileStoreCorruptError)
      expect(readdirSync(parent.path)).not.toContain('outside')
      expect(readdirSync(dir)).not.toContain(recordName(key))
    })

    it('an index file that is a link: listing refuses it', async () => {
      writeFileSync(secret(), JSON.stringify({ userId: 'eve', keys: [randomKey()] }))
      symlinkSync(secret(), join(dir, indexName('eve')))
      await expect(store.listByUser('eve')).rejects.toBeInstanceOf(FileStoreCorruptError)
    })

    it('a directory planted under a session name is not read as a session', async () => {
      const key = randomKey()
      mkdirSync(join(dir, recordName(key)))
      await expect(store.get(key)).rejects.toThrow()
      expect(await store.listByUser(randomUserId())).toEqual([])
    })
  })
})
