import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { createSessionEngine } from '@tessera/core'
import { exchange, randomKey } from '@tessera/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leaseName, lockName, recordName } from '../src/file-names.js'
import { FileStore } from '../src/index.js'
import type { CartData } from './fixtures/cart-data.js'
import { bundleWorker, startWorker, type Worker } from './fork-worker.js'
import { deadPid, sleep, tempDir } from './helpers.js'

describe('FileStore across processes on one directory', () => {
  const work = tempDir('processes')
  let bundle = ''
  beforeAll(async () => {
    bundle = await bundleWorker(work.path)
  })
  afterAll(() => work.cleanup())

  it('two processes each appending 50 items, 5 at a time, through the engine keep all 100', async () => {
    const dir = join(work.path, 'append')
    const secret = 'tessera-file-cross-process-secret-0123456789'
    const engine = createSessionEngine<CartData>({ secret, store: new FileStore({ dir }) })
    const { cookie } = await exchange(engine, undefined, (s) => s.set('cart', []))
    expect(cookie).toBeDefined()
    const workers = ['a', 'b'].map((label) =>
      startWorker(bundle, {
        type: 'append',
        dir,
        secret,
        cookie: cookie as string,
        label,
        count: 50,
        concurrency: 5,
      }),
    )
    const results = await Promise.all(workers.map((worker) => worker.next('appended')))
    await Promise.all(workers.map((worker) => worker.exited))

    let cart: string[] = []
    await exchange(engine, cookie, (s) => {
      cart = s.get('cart') ?? []
    })
    const expected = ['a', 'b'].flatMap((label) =>
      Array.from({ length: 50 }, (_, i) => `${label}-${i}`),
    )
    expect(cart).toHaveLength(100)
    expect([...cart].sort()).toEqual([...expected].sort())
    const conflicts = results.reduce((sum, result) => sum + result.conflicts, 0)
    expect(conflicts, 'the commits never overlapped, so the case proved nothing').toBeGreaterThan(0)
    // Both processes wrote while the other did: their items alternate somewhere in the cart.
    const switches = cart.filter((item, i) => i > 0 && item[0] !== cart[i - 1]?.[0]).length
    expect(switches, 'the two processes did not write at the same time').toBeGreaterThan(1)
  }, 90_000)

  it('a writer killed between its temporary file and the rename leaves the previous version', async () => {
    const dir = join(work.path, 'crash')
    const store = new FileStore({ dir })
    const key = randomKey()
    const first = {
      payload: 'version one',
      version: 1,
      expiresAt: Date.now() + 60_000,
      userId: null,
    }
    expect(await store.set(key, first, null)).toBe(true)

    const writer = startWorker(bundle, {
      type: 'crash-write',
      dir,
      key,
      payload: 'version two',
      expected: 1,
    })
    const { temp } = await writer.next('before-rename')
    expect(readFileSync(temp, 'utf8'), 'the new version was fully written').toContain('version two')
    writer.child.kill('SIGKILL')
    expect((await writer.exited).signal).toBe('SIGKILL')

    expect(await store.get(key)).toEqual(first)
    const lock = join(dir, lockName(recordName(key)))
    expect(existsSync(lock), 'the dead writer left its lock').toBe(true)
    expect(existsSync(temp), 'and its temporary file').toBe(true)

    // Its pid is gone, so the next writer breaks the lock at once instead of waiting.
    const startedAt = performance.now()
    const second = {
      payload: 'version two, again',
      version: 2,
      expiresAt: Date.now() + 60_000,
      userId: null,
    }
    expect(await store.set(key, second, 1)).toBe(true)
    expect(performance.now() - startedAt).toBeLessThan(3000) // staleLockAge is 10 s
    expect(await store.get(key)).toEqual(second)
    expect(existsSync(lock)).toBe(false)

    expect(await store.prune()).toBe(0)
    expect(readdirSync(dir), 'prune removed the orphaned temporary file').toEqual([recordName(key)])
  }, 30_000)

  it('processes that find the same stale lock at once never both take it', async () => {
    const dir = join(work.path, 'contend')
    const lock = join(dir, 'sess.contended.lock')
    const inside = join(dir, 'inside')
    // Creates the directory.
    await new FileStore({ dir }).set(
      randomKey(),
      { payload: '', version: 1, expiresAt: Date.now() + 60_000 },
      null,
    )
    const dead = await deadPid()
    const workers: Worker[] = Array.from({ length: 3 }, () =>
      startWorker(bundle, { type: 'contend', dir, lock, inside, staleMs: 5_000 }),
    )
    try {
      await Promise.all(workers.map((worker) => worker.next('ready')))
      let overlaps = 0
      for (let round = 0; round < 30; round++) {
        // Odd rounds: a dead owner; even rounds: a live process (this one) holding it too long.
        const owner =
          round % 2 === 1
            ? { pid: dead, tid: 0, host: hostname(), at: Date.now(), token: `dead-${round}` }
            : {
                pid: process.pid,
                tid: 0,
                host: hostname(),
                at: Date.now() - 60_000,
                token: `old-${round}`,
              }
        writeFileSync(lock, JSON.stringify(owner))
        for (const worker of workers) worker.send({ type: 'go' })
        const rounds = await Promise.all(workers.map((worker) => worker.next('round')))
        overlaps += rounds.reduce((sum, r) => sum + r.overlaps, 0)
      }
      expect(overlaps, 'two processes held the lock at once').toBe(0)
      expect(existsSync(lock)).toBe(false)
      expect(existsSync(`${lock}.break`)).toBe(false)
    } finally {
      for (const worker of workers) worker.child.kill()
    }
  }, 60_000)

  it('three processes running 20 critical sections each on one lease never overlap', async () => {
    const dir = join(work.path, 'lease-sections')
    const key = randomKey()
    const inside = join(dir, 'inside')
    const workers = Array.from({ length: 3 }, () =>
      startWorker(bundle, { type: 'lease-sections', dir, key, inside, sections: 20 }),
    )
    try {
      await Promise.all(workers.map((worker) => worker.next('ready')))
      for (const worker of workers) worker.send({ type: 'go' })
      const results = await Promise.all(workers.map((worker) => worker.next('sections')))
      expect(results.map((r) => r.done)).toEqual([20, 20, 20])
      expect(
        results.reduce((sum, r) => sum + r.overlaps, 0),
        'two processes held the lease at once',
      ).toBe(0)
      expect(readdirSync(dir), 'every lease ended, nothing left behind').toEqual([])
    } finally {
      for (const worker of workers) worker.child.kill()
    }
  }, 60_000)

  it('processes racing for the same ended lease: exactly one takes it over', async () => {
    const dir = join(work.path, 'lease-race')
    const key = randomKey()
    const lease = join(dir, leaseName(key))
    await new FileStore({ dir }).lock(randomKey(), 1) // creates the directory
    const workers = Array.from({ length: 3 }, () =>
      startWorker(bundle, { type: 'lease-race', dir, key }),
    )
    try {
      await Promise.all(workers.map((worker) => worker.next('ready')))
      for (let round = 0; round < 20; round++) {
        // Odd rounds: a lease that ended; even rounds: an unreadable one older than the
        // stale age (its holder died while writing it); once, no file at all.
        if (round === 0) rmSync(lease, { force: true })
        else if (round % 2 === 1) {
          writeFileSync(lease, JSON.stringify({ token: `old-${round}`, expiresAt: Date.now() - 1 }))
        } else {
          writeFileSync(lease, '')
          const old = new Date(Date.now() - 60_000)
          utimesSync(lease, old, old)
        }
        for (const worker of workers) worker.send({ type: 'go' })
        const tokens = (await Promise.all(workers.map((worker) => worker.next('took')))).map(
          (took) => took.token,
        )
        const winners = tokens.filter((token) => token !== null)
        expect(winners, `round ${round}: exactly one process takes the lease`).toHaveLength(1)
        expect(JSON.parse(readFileSync(lease, 'utf8')).token).toBe(winners[0])
      }
    } finally {
      for (const worker of workers) worker.child.kill()
    }
  }, 60_000)

  it('the pruneInterval timer does not keep a process alive', async () => {
    const worker = startWorker(bundle, { type: 'idle-timer', dir: join(work.path, 'idle') })
    await worker.next('ready')
    const exit = await Promise.race([worker.exited, sleep(10_000).then(() => 'still running')])
    if (exit === 'still running') worker.child.kill()
    expect(exit).toEqual({ code: 0, signal: null })
  }, 20_000)
})
