import {
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { randomKey, storedRecord } from '@tessera/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { leaseName, lockName, recordName } from '../src/file-names.js'
import { FileStore, FileStoreCorruptError, FileStoreKeyError } from '../src/index.js'
import { sleep, tempDir } from './helpers.js'
import { type FsCall, spyingFs } from './spying-fs.js'

// Exclusive-section leases as files, beyond the conformance cases (and the cross-process
// races in cross-process.test.ts): the file, its mode, how a lease being written or left by a
// crashed writer is judged, links, and prune.

describe('FileStore leases', () => {
  let root: ReturnType<typeof tempDir>
  beforeEach(() => {
    root = tempDir('leases')
  })
  afterEach(() => root.cleanup())

  it('are a 0600 file lease.<key> holding { token, expiresAt }, apart from the session file', async () => {
    const dir = join(root.path, 'sessions')
    const store = new FileStore({ dir })
    const key = randomKey()
    expect(await store.set(key, storedRecord(), null)).toBe(true)
    const session = readFileSync(join(dir, recordName(key)))
    const before = Date.now()
    const token = await store.lock(key, 2_000.5)
    expect(token).toMatch(/^[0-9a-f]{32}$/)
    const path = join(dir, leaseName(key))
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const lease = JSON.parse(readFileSync(path, 'utf8'))
    expect(lease.token).toBe(token)
    expect(lease.expiresAt).toBeGreaterThanOrEqual(before + 2_001)
    expect(Number.isInteger(lease.expiresAt), 'whole milliseconds, rounded up').toBe(true)
    expect(readFileSync(join(dir, recordName(key))).equals(session)).toBe(true)
    await store.destroy(key)
    expect(readdirSync(dir), 'destroy leaves the lease').toEqual([leaseName(key)])
    await store.unlock(key, token as string)
    expect(readdirSync(dir)).toEqual([])
  })

  it('cost one O_EXCL open to take, that plus a read to refuse, one unlink to end', async () => {
    const dir = join(root.path, 'sessions')
    const calls: FsCall[] = []
    const store = new FileStore({ dir, fs: spyingFs(calls) })
    const key = randomKey()
    await store.lock(randomKey(), 1_000) // creates the directory
    calls.length = 0
    const token = await store.lock(key, 1_000)
    const taking = calls.splice(0).map((call) => call.method)
    expect(taking).toEqual(['open', 'handle.writeFile', 'handle.close'])
    expect(await store.lock(key, 1_000)).toBeNull()
    expect(calls.splice(0).map((call) => call.method)).toEqual([
      'open',
      'open',
      'handle.read',
      'handle.close',
    ])
    await store.unlock(key, token as string)
    expect(calls.splice(0).map((call) => call.method)).toEqual(['unlink'])
  })

  it('a lease file being written (empty, fresh) is held; one left empty longer than staleLockAge is over', async () => {
    const dir = join(root.path, 'sessions')
    const store = new FileStore({ dir, staleLockAge: '2s' })
    await store.lock(randomKey(), 1) // creates the directory
    const key = randomKey()
    const path = join(dir, leaseName(key))
    writeFileSync(path, '')
    expect(await store.lock(key, 1_000), 'a writer is filling it in').toBeNull()
    writeFileSync(path, '{"token": "half')
    expect(await store.lock(key, 1_000)).toBeNull()
    const old = new Date(Date.now() - 3_000)
    utimesSync(path, old, old)
    const token = await store.lock(key, 1_000)
    expect(token, 'its writer died: taken over').not.toBeNull()
    expect(JSON.parse(readFileSync(path, 'utf8')).token).toBe(token)
    const names = readdirSync(dir)
    expect(names).toContain(leaseName(key))
    expect(
      names.filter(
        (name) => !name.startsWith('lease.') || name.includes('.lock') || name.endsWith('.tmp'),
      ),
      'no lock or temporary file left',
    ).toEqual([])
  })

  it('an unlock late in the lease checks the file under its lock, and never removes a newer one', async () => {
    const dir = join(root.path, 'sessions')
    const store = new FileStore({ dir })
    const key = randomKey()
    const path = join(dir, leaseName(key))
    const first = await store.lock(key, 60)
    await sleep(40) // more than half through: the slow path
    await store.unlock(key, first as string)
    expect(readdirSync(dir)).toEqual([])
    const stale = await store.lock(key, 30)
    await sleep(60)
    // Another process took it over (a second store: its own memory of what it took).
    const other = new FileStore({ dir })
    const fresh = await other.lock(key, 10_000)
    expect(fresh).not.toBeNull()
    await store.unlock(key, stale as string)
    expect(JSON.parse(readFileSync(path, 'utf8')).token, 'the new lease stays').toBe(fresh)
    expect(readdirSync(dir)).not.toContain(lockName(path).slice(dir.length + 1))
    await other.unlock(key, fresh as string)
  })

  it('never follows a link planted as a lease file, and checks keys first', async () => {
    const dir = join(root.path, 'sessions')
    const store = new FileStore({ dir })
    await store.lock(randomKey(), 1) // creates the directory
    const key = randomKey()
    const target = join(root.path, 'outside')
    writeFileSync(target, JSON.stringify({ token: 'x', expiresAt: 0 }))
    symlinkSync(target, join(dir, leaseName(key)))
    await expect(store.lock(key, 1_000)).rejects.toBeInstanceOf(FileStoreCorruptError)
    await expect(store.unlock(key, 'x')).rejects.toBeInstanceOf(FileStoreCorruptError)
    expect(readFileSync(target, 'utf8')).toContain('"x"')
    await expect(store.lock('../x', 1_000)).rejects.toBeInstanceOf(FileStoreKeyError)
    await expect(store.unlock('../x', 'x')).rejects.toBeInstanceOf(FileStoreKeyError)
    await expect(store.lock(randomKey(), 0)).rejects.toThrow(RangeError)
  })

  it('prune removes leases that ended and keeps running ones, counting neither', async () => {
    const dir = join(root.path, 'sessions')
    const store = new FileStore({ dir })
    const running = randomKey()
    const ended = randomKey()
    const runningToken = await store.lock(running, 60_000)
    expect(await store.lock(ended, 10)).not.toBeNull()
    await sleep(30)
    expect(await store.prune()).toBe(0)
    expect(readdirSync(dir)).toEqual([leaseName(running)])
    expect(await store.lock(running, 1_000)).toBeNull()
    await store.unlock(running, runningToken as string)
  })
})
