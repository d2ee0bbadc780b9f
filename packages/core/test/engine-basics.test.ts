import { MemoryStore, type Session, SessionConfigError, type SessionOptions } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { countingStore, exchange, manualClock, OLD_SECRET, SECRET, testEngine } from './helpers.js'

interface Data {
  views: number
  cart: string[]
  theme: string
  profile: { name: string; tags: string[] }
}

describe('options are validated at creation', () => {
  const cases: Array<[string, Partial<SessionOptions> & Record<string, unknown>, RegExp]> = [
    ['missing secret', { secret: undefined }, /`secret`: is required/],
    ['short secret', { secret: 'short' }, /at least 32 characters/],
    ['short old secret', { secret: [SECRET, 'x'] }, /`secret\[1\]`/],
    ['empty secret list', { secret: [] }, /is required/],
    ['bad duration', { idleTimeout: '10 minutes' as never }, /`idleTimeout`.*'30m'/],
    ['negative duration', { idleTimeout: -5 }, /`idleTimeout`/],
    ['touch >= idle', { idleTimeout: '1m', touchInterval: '2m' }, /`touchInterval`/],
    ['absolute < idle', { idleTimeout: '2h', absoluteTimeout: '1h' }, /`absoluteTimeout`/],
    [
      '__Host- not secure',
      { cookie: { name: '__Host-sid', secure: false } },
      /__Host- cookie must be Secure/,
    ],
    [
      '__Host- with domain',
      { cookie: { name: '__Host-sid', domain: 'example.com' } },
      /must not set Domain/,
    ],
    ['__Host- with path', { cookie: { name: '__Host-sid', path: '/app' } }, /must have Path=\//],
    ['SameSite=None insecure', { cookie: { sameSite: 'none', secure: false } }, /SameSite=None/],
    ['bad cookie name', { cookie: { name: 'a b' } }, /`cookie.name`/],
    ['unknown option', { resave: true } as never, /`resave`: unknown option/],
    ['rolling not a boolean', { rolling: 'yes' } as never, /`rolling`/],
    ['remember-me over the ceiling', { rememberMe: { idle: '90d' } }, /`rememberMe.idle`/],
    ['bad cookie priority', { cookie: { priority: 'urgent' } } as never, /`cookie.priority`/],
    ['unknown cookie option', { cookie: { maxAge: 5 } as never }, /`cookie.maxAge`/],
    ['bad idFrom', { idFrom: { header: '' } }, /`idFrom`/],
    [
      'maxSessionsPerUser without listing',
      {
        maxSessionsPerUser: 2,
        store: {
          get: async () => null,
          set: async () => true,
          touch: async () => {},
          destroy: async () => {},
        },
      },
      /listByUser/,
    ],
    ['store without methods', { store: {} as never }, /`store`/],
    ['short encryption key', { encryption: { keys: ['short'] } }, /`encryption.keys`/],
  ]
  for (const [name, options, message] of cases) {
    it(name, () => {
      let error: unknown
      try {
        testEngine({ secret: SECRET, ...options } as Partial<SessionOptions>)
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(SessionConfigError)
      expect((error as SessionConfigError).code).toBe('SESSION_CONFIG_INVALID')
      expect((error as Error).message).toMatch(message)
    })
  }
  it('refuses an express-session store at start-up, naming the Tessera store to use', () => {
    // The shape express-session's Store gives every store (connect-redis, connect-pg-simple...).
    class Store {
      createSession() {}
      load() {}
      regenerate() {}
    }
    class RedisStore extends Store {
      get(_sid: string, _callback: () => void) {}
      set(_sid: string, _session: unknown, _callback: () => void) {}
      touch() {}
      destroy() {}
    }
    class PGStore extends RedisStore {}
    const storeOf = (store: object) => () =>
      testEngine({ store } as unknown as Partial<SessionOptions>)
    expect(storeOf(new RedisStore())).toThrow(
      /express-session store.*RedisStore from @tessera\/redis/,
    )
    expect(storeOf(new PGStore())).toThrow(/KyselyStore from @tessera\/kysely/)
    // A callback store that does not extend express-session's Store, but is an EventEmitter.
    const emitterStore = {
      on() {},
      get(_sid: string, _callback: () => void) {},
      set() {},
      touch() {},
      destroy() {},
    }
    expect(storeOf(emitterStore)).toThrow(SessionConfigError)
    expect(storeOf(new MemoryStore())).not.toThrow()
  })
  it('accepts a valid __Host- configuration', () => {
    expect(() => testEngine({ cookie: { name: '__Host-sid' } })).not.toThrow()
  })
})

describe('cookies and ids', () => {
  it('issues a 256-bit id in a signed cookie with secure defaults', async () => {
    const engine = testEngine<Data>()
    const res = await exchange(engine, undefined, (s) => s.set('views', 1))
    expect(res.setCookie).toMatch(
      /^tessera\.sid=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; Secure; SameSite=Lax$/,
    )
    expect(res.header('cache-control')).toBe('no-store')
    expect(res.header('vary')).toBe('Cookie')
  })

  it('writes cookie attributes as configured', async () => {
    const engine = testEngine<Data>({
      cookie: {
        name: 'sid',
        domain: 'example.com',
        path: '/app',
        sameSite: 'strict',
        partitioned: true,
        persistent: false,
      },
    })
    const res = await exchange(engine, undefined, (s) => s.set('views', 1))
    expect(res.setCookie).toMatch(
      /^sid=[\w-]+\.[\w-]+; Path=\/app; Domain=example.com; HttpOnly; Secure; SameSite=Strict; Partitioned$/,
    )
  })

  it('stores under a hash of the id, never the id itself', async () => {
    const { store, calls } = countingStore()
    const engine = testEngine<Data>({ store })
    let id = ''
    const res = await exchange(engine, undefined, (s) => {
      s.set('views', 1)
      id = s.id
    })
    expect(calls.set).toBe(1)
    const key = await engine.options.crypto.sha256(id)
    expect(await store.get(id)).toBeNull()
    const stored = await store.get(key)
    expect(stored?.payload).not.toContain(id)
    expect(res.cookie).toContain(id)
  })

  it('does no store I/O and sets no cookie for a request that never writes', async () => {
    const { store, calls } = countingStore()
    const engine = testEngine<Data>({ store })
    const res = await exchange(engine, undefined, (s) => s.get('views'))
    expect(calls).toEqual({})
    expect(res.setCookie).toBeUndefined()
    const untouched = await exchange(engine, undefined)
    expect(untouched.headers).toEqual([])
  })

  it('a read-only request with a session costs one store read and no write', async () => {
    const { store, calls, reset } = countingStore()
    const engine = testEngine<Data>({ store })
    const first = await exchange(engine, undefined, (s) =>
      s.set('profile', { name: 'Ada', tags: ['x'] }),
    )
    reset()
    const res = await exchange(engine, first.cookie, (s) => s.get('profile')?.name)
    expect(calls).toEqual({ get: 1 })
    expect(res.setCookie).toBeUndefined()
    expect(res.headers).toEqual([['vary', 'Cookie']])
  })

  it('rejects tampered, unsigned and garbage cookies without reading the store', async () => {
    const { store, calls, reset } = countingStore()
    const engine = testEngine<Data>({ store })
    const first = await exchange(engine, undefined, (s) => s.set('views', 5))
    const value = (first.cookie as string).split('=')[1] as string
    const id = value.split('.')[0] as string
    const flipped = `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`
    for (const cookie of [
      `tessera.sid=${flipped}`,
      `tessera.sid=${id}`,
      `tessera.sid=${id}.`,
      'tessera.sid=garbage',
      `tessera.sid=${'x'.repeat(10_000)}`,
      'tessera.sid=%00%ff%fe',
      `tessera.sid=${value.slice(0, 60)}`,
    ]) {
      reset()
      const res = await exchange(engine, cookie, (s) => {
        expect(s.isNew).toBe(true)
        expect(s.get('views')).toBeUndefined()
      })
      expect(calls.get).toBeUndefined()
      expect(res.setCookie).toMatch(/^tessera\.sid=; Path=\/; Max-Age=0/)
    }
  })

  it('never adopts a well-formed, correctly signed id the store does not know (strict)', async () => {
    const engine = testEngine<Data>()
    const unknownId = engine.options.crypto.randomToken(32)
    const signed = `${unknownId}.${await engine.options.crypto.hmacSha256(SECRET, unknownId)}`
    let issued = ''
    const res = await exchange(engine, `tessera.sid=${signed}`, (s) => {
      expect(s.isNew).toBe(true)
      s.set('views', 1)
      issued = s.id
    })
    expect(issued).not.toBe(unknownId)
    expect(res.cookie).not.toContain(unknownId)
  })

  it('accepts a cookie signed by an old secret and re-issues it under the new one', async () => {
    const oldEngineStore = new MemoryStore()
    const before = testEngine<Data>({ secret: OLD_SECRET, store: oldEngineStore })
    const first = await exchange(before, undefined, (s) => s.set('views', 7))
    const after = testEngine<Data>({ secret: [SECRET, OLD_SECRET], store: oldEngineStore })
    const res = await exchange(after, first.cookie, (s) => expect(s.get('views')).toBe(7))
    expect(res.setCookie).toBeDefined()
    const newSig = (res.cookie as string).split('.').pop()
    const id = ((res.cookie as string).split('=')[1] as string).split('.')[0] as string
    expect(newSig).toBe(await after.options.crypto.hmacSha256(SECRET, id))
    const again = await exchange(after, res.cookie, (s) => expect(s.get('views')).toBe(7))
    expect(again.setCookie).toBeUndefined()
    // A cookie signed by a secret no longer listed stops working.
    const dropped = testEngine<Data>({ secret: SECRET, store: oldEngineStore })
    await exchange(dropped, first.cookie, (s) => expect(s.get('views')).toBeUndefined())
  })

  it('picks the valid one among several same-name cookies', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => s.set('views', 3))
    await exchange(engine, `other=1; tessera.sid=bogus; ${first.cookie}`, (s) =>
      expect(s.get('views')).toBe(3),
    )
  })

  it('reads and returns the id in a header for API clients', async () => {
    const engine = testEngine<Data>({ idFrom: { header: 'x-session-id' } })
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    expect(first.setCookie).toBeUndefined()
    const id = first.header('x-session-id') as string
    expect(id).toMatch(/^[\w-]{43}\.[\w-]{43}$/)
    const second = await exchange(engine, undefined, (s) => expect(s.get('views')).toBe(1), {
      headers: { 'x-session-id': id },
    })
    expect(second.header('vary')).toBe('x-session-id')
    // A cookie is ignored in header mode.
    await exchange(engine, `tessera.sid=${id}`, (s) => expect(s.isNew).toBe(true))
  })
})

describe('timeouts and touch', () => {
  it('enforces the idle timeout on read, even if the store still has the record', async () => {
    const clock = manualClock()
    const store = new MemoryStore()
    const expired: string[] = []
    const engine = testEngine<Data>({
      store,
      now: clock.now,
      idleTimeout: '30m',
      on: { expired: (e) => expired.push(e.reason) },
    })
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    clock.advance(29 * 60_000)
    await exchange(engine, first.cookie, (s) => expect(s.get('views')).toBe(1))
    clock.advance(29 * 60_000) // the read at 29 minutes touched it
    const res = await exchange(engine, first.cookie, (s) => expect(s.get('views')).toBe(1))
    clock.advance(31 * 60_000)
    const gone = await exchange(engine, res.cookie, (s) => expect(s.isNew).toBe(true))
    expect(gone.setCookie).toMatch(/Max-Age=0/)
    expect(expired).toEqual(['idle'])
  })

  it('enforces the absolute timeout however active the session is', async () => {
    const clock = manualClock()
    const expired: string[] = []
    const engine = testEngine<Data>({
      now: clock.now,
      idleTimeout: '1h',
      absoluteTimeout: '3h',
      touchInterval: '1m',
      on: { expired: (e) => expired.push(e.reason) },
    })
    let cookie = (await exchange(engine, undefined, (s) => s.set('views', 0))).cookie
    for (let i = 0; i < 4; i++) {
      clock.advance(40 * 60_000)
      cookie = (await exchange(engine, cookie, (s) => s.update('views', (v) => (v ?? 0) + 1)))
        .cookie
    }
    await exchange(engine, cookie, (s) => expect(s.get('views')).toBe(4))
    clock.advance(30 * 60_000)
    // 190 minutes in: past the absolute timeout though never idle for an hour.
    await exchange(engine, cookie, (s) => expect(s.get('views')).toBeUndefined())
    expect(expired).toContain('absolute')
  })

  it('touches an unchanged session at most once per touchInterval', async () => {
    const clock = manualClock()
    const { store, calls, reset } = countingStore()
    const engine = testEngine<Data>({
      store,
      now: clock.now,
      idleTimeout: '1h',
      touchInterval: '10m',
    })
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    reset()
    for (let i = 0; i < 9; i++) {
      clock.advance(60_000)
      await exchange(engine, first.cookie, (s) => s.get('views'))
    }
    expect(calls.touch).toBeUndefined()
    clock.advance(60_000)
    await exchange(engine, first.cookie, (s) => s.get('views'))
    expect(calls.touch).toBe(1)
    expect(calls.set).toBeUndefined()
    // The touch moved the expiry: 55 more minutes without activity is still fine.
    clock.advance(55 * 60_000)
    await exchange(engine, first.cookie, (s) => expect(s.get('views')).toBe(1))
  })

  it('touch() forces the expiry to move', async () => {
    const { store, calls, reset } = countingStore()
    const engine = testEngine<Data>({ store })
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    reset()
    await exchange(engine, first.cookie, (s) => s.touch())
    expect(calls.touch).toBe(1)
  })

  it('without an absolute timeout the cookie is re-issued with each touch', async () => {
    const clock = manualClock()
    const engine = testEngine<Data>({
      now: clock.now,
      absoluteTimeout: false,
      idleTimeout: '1h',
      touchInterval: '1m',
    })
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    expect(first.setCookie).toMatch(/Max-Age=3600/)
    clock.advance(2 * 60_000)
    const second = await exchange(engine, first.cookie, (s) => s.get('views'))
    expect(second.setCookie).toMatch(/Max-Age=3600/)
  })
})

describe('the cookie of an active session without an absolute timeout', () => {
  /** A browser's view of the cookie: dropped once its Max-Age has passed on `clock`. */
  function browser(clock: { now(): number }) {
    let cookie: string | undefined
    let expiresAt = 0
    let issued = 0
    return {
      get cookie() {
        return clock.now() < expiresAt ? cookie : undefined
      },
      get issued() {
        return issued
      },
      take(setCookie: string | undefined) {
        if (!setCookie) return
        issued++
        const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1] ?? 'NaN')
        cookie = maxAge > 0 ? setCookie.split(';')[0] : undefined
        expiresAt = clock.now() + maxAge * 1000
      },
    }
  }

  for (const [name, route] of [
    ['written on every request', (s: Session<Data>) => s.update('views', (v) => (v ?? 0) + 1)],
    ['read-only', (s: Session<Data>) => s.get('views')],
  ] as const) {
    it(`stays signed in when ${name}, re-issuing the cookie at most once per touchInterval`, async () => {
      const clock = manualClock()
      const engine = testEngine<Data>({
        now: clock.now,
        absoluteTimeout: false,
        idleTimeout: 2000,
        touchInterval: 1000,
      })
      const tab = browser(clock)
      tab.take((await exchange(engine, undefined, (s) => s.set('views', 0))).setCookie)
      for (let i = 0; i < 20; i++) {
        clock.advance(500)
        const cookie = tab.cookie
        expect(cookie, `request ${i + 1} at ${(i + 1) * 500} ms carries the cookie`).toBeDefined()
        const response = await exchange(engine, cookie, (s) => {
          expect(s.isNew, `request ${i + 1} still has its session`).toBe(false)
          return route(s)
        })
        tab.take(response.setCookie)
      }
      // 10 s of traffic, touchInterval 1 s: about one re-issue a second, not one per request.
      expect(tab.issued).toBeGreaterThanOrEqual(6)
      expect(tab.issued).toBeLessThanOrEqual(12)
    })
  }
})

describe('change detection', () => {
  it('saves nested mutation without a modified flag', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) =>
      s.set('profile', { name: 'Ada', tags: [] }),
    )
    await exchange(engine, first.cookie, (s) => s.get('profile')?.tags.push('admin'))
    await exchange(engine, first.cookie, (s) => expect(s.get('profile')?.tags).toEqual(['admin']))
  })

  it('does not write when a value is read, or set to an equal value', async () => {
    const { store, calls, reset } = countingStore()
    const engine = testEngine<Data>({ store })
    const first = await exchange(engine, undefined, (s) => {
      s.set('profile', { name: 'Ada', tags: ['a'] })
      s.set('theme', 'dark')
    })
    reset()
    await exchange(engine, first.cookie, (s) => {
      s.all()
      s.set('theme', 'dark')
      s.set('profile', { name: 'Ada', tags: ['a'] })
    })
    expect(calls).toEqual({ get: 1 })
  })

  it('deleting every key deletes the record and the cookie', async () => {
    const { store, calls, reset } = countingStore()
    const destroyed: string[] = []
    const engine = testEngine<Data>({ store, on: { destroyed: (e) => destroyed.push(e.reason) } })
    const first = await exchange(engine, undefined, (s) => s.set('theme', 'dark'))
    reset()
    const res = await exchange(engine, first.cookie, (s) => s.delete('theme'))
    expect(calls.destroy).toBe(1)
    expect(res.setCookie).toMatch(/Max-Age=0/)
    expect(destroyed).toEqual(['emptied'])
  })

  it('saves nothing on a 5xx response unless asked to', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    const failed = await exchange(engine, first.cookie, (s) => s.set('views', 2), { status: 500 })
    expect(failed.setCookie).toBeUndefined()
    await exchange(engine, first.cookie, (s) => expect(s.get('views')).toBe(1))
    const fresh = await exchange(engine, undefined, (s) => s.set('views', 1), { status: 503 })
    expect(fresh.setCookie).toBeUndefined()
    const saving = testEngine<Data>({ saveOnServerError: true })
    const saved = await exchange(saving, undefined, (s) => s.set('views', 1), { status: 500 })
    expect(saved.setCookie).toBeDefined()
  })

  it('uses a pluggable serializer', async () => {
    const seen: string[] = []
    const engine = testEngine<{ when: Date }>({
      serializer: {
        stringify: (value) => {
          const text = JSON.stringify(value, (_k, v) =>
            typeof v === 'string' && /^\d{4}-/.test(v) ? `D:${v}` : v,
          )
          seen.push(text)
          return text
        },
        parse: (text) =>
          JSON.parse(text, (_k, v) =>
            typeof v === 'string' && v.startsWith('D:') ? new Date(v.slice(2)) : v,
          ),
      },
    })
    const when = new Date('2026-01-02T03:04:05.000Z')
    const first = await exchange(engine, undefined, (s) => s.set('when', when))
    await exchange(engine, first.cookie, (s) => expect(s.get('when')).toEqual(when))
    expect(seen.some((t) => t.includes('D:2026'))).toBe(true)
  })
})
