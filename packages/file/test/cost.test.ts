import { randomKey } from '@tessera/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileStore } from '../src/index.js'
import { farFuture, tempDir } from './helpers.js'
import { type FsCall, spyingFs } from './spying-fs.js'

// The README's "Cost per call" table, counted with a spying fs.
describe('FileStore: file system calls per store call', () => {
  let root: ReturnType<typeof tempDir>
  beforeEach(() => {
    root = tempDir('cost')
  })
  afterEach(() => root.cleanup())

  async function count(options: { fsync?: boolean } = {}) {
    const calls: FsCall[] = []
    const store = new FileStore({ dir: root.path, fs: spyingFs(calls), ...options })
    // The first write creates the directory; not counted.
    await store.set(randomKey(), { payload: 'x', version: 1, expiresAt: farFuture() }, null)
    return async (run: (s: FileStore) => Promise<unknown>): Promise<string[]> => {
      calls.length = 0
      await run(store)
      return calls.map((call) => call.method)
    }
  }

  const rec = (version: number, userId: string | null = null) => ({
    payload: 'p',
    version,
    expiresAt: farFuture(),
    userId,
  })

  it('get: open, read, close; a missing session: open', async () => {
    const measure = await count()
    const key = randomKey()
    await measure((s) => s.set(key, rec(1), null))
    expect(await measure((s) => s.get(key))).toEqual(['open', 'handle.read', 'handle.close'])
    expect(await measure((s) => s.get(randomKey()))).toEqual(['open'])
  })

  /** How many calls of each name (the order varies: the new file is written while the lock
   * is being taken). */
  const tally = (calls: string[]) => {
    const counts: Record<string, number> = {}
    for (const call of calls) counts[call] = (counts[call] ?? 0) + 1
    return counts
  }

  it('set: 13 for a new session, 15 for an update, 12 for a conflict; 11 for an update without fsync', async () => {
    const measure = await count()
    const key = randomKey()
    // new file: open, writeFile, sync, close; lock: open, writeFile, close, unlink; head:
    // open (, read, close); rename; directory: open, sync, close.
    const created = await measure((s) => s.set(key, rec(1), null))
    expect(created).toHaveLength(13)
    expect(tally(created)).toEqual({
      open: 4,
      'handle.writeFile': 2,
      'handle.sync': 2,
      'handle.close': 3,
      rename: 1,
      unlink: 1,
    })
    const updated = await measure((s) => s.set(key, rec(2), 1))
    expect(updated).toHaveLength(15)
    expect(tally(updated)).toEqual({
      open: 4,
      'handle.read': 1,
      'handle.writeFile': 2,
      'handle.sync': 2,
      'handle.close': 4,
      rename: 1,
      unlink: 1,
    })
    // A conflict: the new file was written for nothing and is removed; no rename, no fsync
    // of the directory.
    const refused = await measure((s) => s.set(key, rec(3), 1))
    expect(refused).toHaveLength(12)
    expect(tally(refused)).toEqual({
      open: 3,
      'handle.read': 1,
      'handle.writeFile': 2,
      'handle.sync': 1,
      'handle.close': 3,
      unlink: 2,
    })
    const unsynced = await count({ fsync: false })
    await unsynced((s) => s.set(key, rec(3), 2))
    const quick = await unsynced((s) => s.set(key, rec(4), 3))
    expect(quick).toHaveLength(11)
    expect(quick).not.toContain('handle.sync')
  })

  it('touch: 9, of which one 74-byte write; signing in adds 13 for the index', async () => {
    const measure = await count()
    const key = randomKey()
    await measure((s) => s.set(key, rec(1), null))
    expect(await measure((s) => s.touch(key, farFuture()))).toHaveLength(9)
    const update = await measure((s) => s.set(key, rec(2), 1))
    const login = await measure((s) => s.set(key, rec(3, 'alice'), 2))
    expect(login.length - update.length).toBe(13)
  })
})
