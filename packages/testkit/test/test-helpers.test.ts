import { readdirSync, readFileSync } from 'node:fs'
import { createSessionEngine, MemoryStore, type SessionStore } from '@tessera/core'
import {
  countingStore,
  exchange,
  manualClock,
  randomKey,
  randomUserId,
  STORED_RECORD_TTL_MS,
  storedRecord,
} from '@tessera/testkit'
import { describe, expect, it } from 'vitest'
import { MinimalStore, ReferenceStore } from './reference-store.js'

const SECRET = 'testkit-helpers-test-secret-0123456789abcdef'

describe('storedRecord', () => {
  it('is a live, version 1 record of nobody, with a payload of its own', () => {
    const before = Date.now()
    const [a, b] = [storedRecord(), storedRecord()]
    expect(a).toMatchObject({ version: 1, userId: null })
    expect(a.expiresAt).toBeGreaterThanOrEqual(before + STORED_RECORD_TTL_MS)
    expect(a.expiresAt).toBeLessThanOrEqual(Date.now() + STORED_RECORD_TTL_MS)
    expect(JSON.parse(a.payload)).toEqual({ marker: expect.any(String) })
    expect(a.payload).not.toBe(b.payload)
  })

  it('takes any field from `fields`', () => {
    const userId = randomUserId()
    expect(storedRecord({ payload: 'p', version: 4, expiresAt: 5, userId })).toEqual({
      payload: 'p',
      version: 4,
      expiresAt: 5,
      userId,
    })
  })
})

describe('countingStore', () => {
  it('counts each call by method and passes arguments and results through', async () => {
    const { store, calls } = countingStore(new ReferenceStore())
    const key = randomKey()
    const userId = randomUserId()
    expect(await store.set(key, storedRecord({ userId, payload: 'kept' }), null)).toBe(true)
    expect((await store.get(key))?.payload).toBe('kept')
    expect(await store.get(randomKey())).toBeNull()
    await store.touch(key, Date.now() + 60_000)
    expect((await store.listByUser?.(userId))?.map((s) => s.key)).toEqual([key])
    expect(await store.destroyByUser?.(userId, key)).toBe(0)
    expect(await store.prune?.()).toBe(0)
    await store.destroy(key)
    expect(calls).toEqual({
      set: 1,
      get: 2,
      touch: 1,
      listByUser: 1,
      destroyByUser: 1,
      prune: 1,
      destroy: 1,
    })
  })

  it('has exactly the optional methods of the wrapped store', () => {
    const full = countingStore(new MemoryStore()).store
    for (const method of ['listByUser', 'destroyByUser', 'prune', 'close'] as const) {
      expect(typeof full[method], method).toBe('function')
    }
    const minimal = countingStore(new MinimalStore()).store
    for (const method of ['listByUser', 'destroyByUser', 'prune', 'close'] as const) {
      expect(minimal[method], method).toBeUndefined()
      expect(method in minimal, method).toBe(false)
    }
  })

  it('counts what the engine does: nothing without an id, one read for a known one', async () => {
    const { store, calls, reset } = countingStore()
    const engine = createSessionEngine<{ n: number }>({ secret: SECRET, store })
    await exchange(engine, undefined, (s) => s.get('n'))
    expect(calls, 'a request without an id and without a change').toEqual({})
    const { cookie } = await exchange(engine, undefined, (s) => s.set('n', 1))
    expect(calls).toEqual({ set: 1 })
    const counted = calls
    reset()
    expect(calls).toEqual({})
    expect(calls, 'reset keeps the same object').toBe(counted)
    await exchange(engine, cookie, (s) => expect(s.get('n')).toBe(1))
    expect(calls).toEqual({ get: 1 })
  })

  it('lets a failing call fail, and still counts it', async () => {
    const broken: SessionStore = {
      get: () => Promise.reject(new Error('down')),
      set: () => Promise.resolve(true),
      touch: () => Promise.resolve(),
      destroy: () => Promise.resolve(),
    }
    const { store, calls } = countingStore(broken)
    await expect(store.get(randomKey())).rejects.toThrow('down')
    expect(calls).toEqual({ get: 1 })
  })
})

describe('manualClock', () => {
  it('starts at `start` (default now) and moves only by advance()', async () => {
    expect(manualClock(1_000).now()).toBe(1_000)
    const before = Date.now()
    const clock = manualClock()
    expect(clock.now()).toBeGreaterThanOrEqual(before)
    const start = clock.now()
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(clock.now()).toBe(start)
    clock.advance(60_000)
    clock.advance(-1_000)
    expect(clock.now()).toBe(start + 59_000)
  })
})

describe('exchange', () => {
  const engineWith = (store: SessionStore = new MemoryStore()) =>
    createSessionEngine<{ n: number }>({ secret: SECRET, store, cookie: { secure: false } })

  it('returns the headers, the Set-Cookie line and the cookie a browser sends next', async () => {
    const engine = engineWith()
    const first = await exchange(engine, undefined, (s) => s.set('n', 1))
    expect(first.setCookie).toMatch(/^tessera\.sid=[\w-]+\.[\w-]+; /)
    expect(first.cookie).toBe(first.setCookie?.split(';')[0])
    expect(first.header('cache-control')).toBe('no-store')
    expect(first.headers).toContainEqual(['vary', 'Cookie'])
    expect(first.header('x-absent')).toBeUndefined()
    const read = await exchange(engine, first.cookie, (s) => expect(s.get('n')).toBe(1))
    expect(read.setCookie).toBeUndefined()
    expect(read.cookie, 'no Set-Cookie: the browser keeps its cookie').toBe(first.cookie)
  })

  it('forgets the cookie the response clears', async () => {
    const engine = engineWith()
    const { cookie } = await exchange(engine, undefined, (s) => s.set('n', 1))
    const destroyed = await exchange(engine, cookie, (s) => s.destroy())
    expect(destroyed.setCookie).toMatch(/Max-Age=0/)
    expect(destroyed.cookie).toBeUndefined()
  })

  it('commits with the status given: a 5xx saves nothing', async () => {
    const { store, calls } = countingStore()
    const failed = await exchange(engineWith(store), undefined, (s) => s.set('n', 1), {
      status: 500,
    })
    expect(failed.setCookie).toBeUndefined()
    expect(calls).toEqual({})
  })

  it('awaits an async route, returns what it returned, and sends the user agent', async () => {
    const engine = engineWith()
    const login = await exchange(
      engine,
      undefined,
      async (s) => {
        await s.login('ada')
        return s.userId
      },
      { userAgent: 'curl/8' },
    )
    expect(login.result).toBe('ada')
    const [active] = await engine.listUserSessions('ada')
    expect(active?.userAgent).toBe('curl/8')
    expect((await exchange(engine, login.cookie)).result, 'no route, no result').toBeUndefined()
  })
})

describe('the @example blocks of src/test-helpers', () => {
  const examples = readFileSync(new URL('./helper-examples.test.ts', import.meta.url), 'utf8')
  const dir = new URL('../src/test-helpers/', import.meta.url)
  const blocks = readdirSync(dir).flatMap((file) => {
    const source = readFileSync(new URL(file, dir), 'utf8')
    return [...source.matchAll(/@example\n \* ```ts\n([\s\S]*?) \* ```/g)].map((match) => ({
      file,
      code: (match[1] as string)
        .split('\n')
        .map((line) => line.replace(/^ \* ?/, ''))
        .filter((line) => !line.startsWith('import '))
        .join('\n')
        .trim(),
    }))
  })

  it('every exported helper has one', () => {
    expect(blocks.map((block) => block.file).sort()).toEqual([
      'counting-store.ts',
      'exchange.ts',
      'exchange.ts',
      'manual-clock.ts',
      'stored-record.ts',
    ])
  })

  it.each(blocks.map((block) => [block.file, block.code]))(
    '%s: stands verbatim in helper-examples.test.ts, which runs it',
    (_file, code) => {
      expect(examples).toContain(code)
    },
  )
})
