import {
  MemoryStore,
  type SessionEvents,
  SessionGoneError,
  SessionStoreConfigError,
  SessionStoreError,
} from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { countingStore, exchange, manualClock, testEngine } from './helpers.js'

interface Data {
  views: number
  cart: string[]
  role: string
}

describe('regenerate, destroy, login, logout', () => {
  it('regenerate({ keepData: true }) keeps the data, issues a new id and kills the old one', async () => {
    const events: Array<keyof SessionEvents> = []
    const engine = testEngine<Data>({
      on: { regenerated: () => events.push('regenerated'), created: () => events.push('created') },
    })
    const first = await exchange(engine, undefined, (s) => s.set('cart', ['book']))
    const second = await exchange(engine, first.cookie, async (s) => {
      await s.regenerate({ keepData: true })
      expect(s.get('cart')).toEqual(['book'])
    })
    expect(second.cookie).not.toBe(first.cookie)
    await exchange(engine, second.cookie, (s) => expect(s.get('cart')).toEqual(['book']))
    const old = await exchange(engine, first.cookie, (s) => expect(s.isNew).toBe(true))
    expect(old.setCookie).toMatch(/Max-Age=0/)
    expect(events).toEqual(['created', 'regenerated'])
  })

  it('destroy() removes the record and clears the cookie', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    const res = await exchange(engine, first.cookie, (s) => s.destroy())
    expect(res.setCookie).toMatch(/^tessera\.sid=; Path=\/; Max-Age=0; Expires=Thu, 01 Jan 1970/)
    await exchange(engine, first.cookie, (s) => expect(s.get('views')).toBeUndefined())
  })

  it('writes after destroy() start a new session with a new id', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    const res = await exchange(engine, first.cookie, async (s) => {
      await s.destroy()
      s.set('views', 100)
    })
    expect(res.cookie).toBeDefined()
    expect(res.cookie).not.toBe(first.cookie)
    await exchange(engine, res.cookie, (s) => expect(s.get('views')).toBe(100))
  })

  it('login() changes the id (no fixation) and indexes the session under the user', async () => {
    const engine = testEngine<Data>()
    const anonymous = await exchange(engine, undefined, (s) => s.set('cart', ['pen']))
    const loggedIn = await exchange(engine, anonymous.cookie, (s) => s.login('user-1'))
    expect(loggedIn.cookie).not.toBe(anonymous.cookie)
    await exchange(engine, anonymous.cookie, (s) => expect(s.userId).toBeNull())
    await exchange(engine, loggedIn.cookie, (s) => {
      expect(s.userId).toBe('user-1')
      expect(s.get('cart')).toEqual(['pen'])
    })
    expect((await engine.listUserSessions('user-1')).length).toBe(1)
  })

  it('logout() ends the session: data cleared, old cookie dead', async () => {
    const engine = testEngine<Data>()
    const loggedIn = await exchange(engine, undefined, async (s) => {
      await s.login('user-2')
      s.set('role', 'admin')
    })
    const out = await exchange(engine, loggedIn.cookie, (s) => s.logout())
    expect(out.setCookie).toMatch(/Max-Age=0/)
    await exchange(engine, loggedIn.cookie, (s) => {
      expect(s.userId).toBeNull()
      expect(s.get('role')).toBeUndefined()
    })
    expect(await engine.listUserSessions('user-2')).toEqual([])
  })

  it('reload() drops unsaved changes; save() writes early', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    await exchange(engine, first.cookie, async (s) => {
      s.set('views', 50)
      await s.reload()
      expect(s.get('views')).toBe(1)
      s.set('views', 2)
      await s.save()
      // Another request sees the saved value before this one ends.
      await exchange(engine, first.cookie, (other) => expect(other.get('views')).toBe(2))
    })
  })

  it("reload({ ifGone: 'throw' }) reports a session revoked meanwhile and leaves the request's session as it was", async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, async (s) => {
      await s.login('ada')
      s.set('views', 1)
    })
    await exchange(engine, first.cookie, async (s) => {
      s.set('views', 7)
      await engine.revokeUserSessions('ada') // signed out from another device meanwhile
      await expect(s.reload({ ifGone: 'throw' })).rejects.toMatchObject({
        code: 'SESSION_GONE',
        status: 410,
      })
      expect(s.get('views'), 'nothing was thrown away').toBe(7)
      expect(s.isNew).toBe(false)
      await s.reload() // the default: the gone session becomes an empty one
      expect(s.isNew).toBe(true)
      expect(s.get('views')).toBeUndefined()
    })
    await exchange(engine, undefined, async (s) => {
      await expect(s.reload({ ifGone: 'throw' }), 'a never-saved session').rejects.toBeInstanceOf(
        SessionGoneError,
      )
    })
  })
})

describe('per-user sessions', () => {
  async function loginFrom(
    engine: ReturnType<typeof testEngine<Data>>,
    user: string,
    agent: string,
  ) {
    return exchange(engine, undefined, (s) => s.login(user), { userAgent: agent })
  }

  it('lists a user’s sessions with created, last seen and user agent', async () => {
    const clock = manualClock()
    const engine = testEngine<Data>({ now: clock.now })
    const phone = await loginFrom(engine, 'ada', 'Phone/1.0')
    clock.advance(60_000)
    const laptop = await loginFrom(engine, 'ada', 'Laptop/2.0')
    await loginFrom(engine, 'bob', 'Other/1.0')
    let listed: Awaited<ReturnType<typeof engine.listUserSessions>> = []
    await exchange(engine, laptop.cookie, async (s) => {
      listed = await s.listSessions()
    })
    expect(listed.map((x) => x.userAgent)).toEqual(['Phone/1.0', 'Laptop/2.0'])
    expect(listed.map((x) => x.current)).toEqual([false, true])
    expect(listed[0]?.createdAt).toBeLessThan(listed[1]?.createdAt as number)
    expect(listed[0]?.handle).toMatch(/^[\w-]{43}$/)
    expect(JSON.stringify(listed)).not.toContain(
      (phone.cookie as string).split('=')[1]?.split('.')[0],
    )
  })

  it('revokes one session, all others, or all', async () => {
    const engine = testEngine<Data>()
    const a = await loginFrom(engine, 'carol', 'A')
    const b = await loginFrom(engine, 'carol', 'B')
    const c = await loginFrom(engine, 'carol', 'C')
    await loginFrom(engine, 'dave', 'D')
    // Revoke one (B) from A.
    await exchange(engine, a.cookie, async (s) => {
      const list = await s.listSessions()
      const target = list.find((x) => x.userAgent === 'B')
      expect(await s.revokeSession(target?.handle as string)).toBe(true)
      expect(await s.revokeSession('not-a-handle-of-this-user')).toBe(false)
    })
    await exchange(engine, b.cookie, (s) => expect(s.userId).toBeNull())
    // Revoke all others (after a password change) from A.
    await exchange(engine, a.cookie, async (s) => expect(await s.revokeOtherSessions()).toBe(1))
    await exchange(engine, c.cookie, (s) => expect(s.userId).toBeNull())
    await exchange(engine, a.cookie, (s) => expect(s.userId).toBe('carol'))
    // Revoke all, this one included.
    const res = await exchange(engine, a.cookie, async (s) =>
      expect(await s.revokeAllSessions()).toBe(1),
    )
    expect(res.setCookie).toMatch(/Max-Age=0/)
    expect(await engine.listUserSessions('carol')).toEqual([])
    expect((await engine.listUserSessions('dave')).length).toBe(1)
  })

  it('a user cannot revoke another user’s session by handle', async () => {
    const engine = testEngine<Data>()
    const eve = await loginFrom(engine, 'eve', 'E')
    const frank = await loginFrom(engine, 'frank', 'F')
    const [frankSession] = await engine.listUserSessions('frank')
    await exchange(engine, eve.cookie, async (s) =>
      expect(await s.revokeSession(frankSession?.handle as string)).toBe(false),
    )
    await exchange(engine, frank.cookie, (s) => expect(s.userId).toBe('frank'))
  })

  it('maxSessionsPerUser evicts the least recently used sessions at login', async () => {
    const clock = manualClock()
    const evicted: string[] = []
    const engine = testEngine<Data>({
      now: clock.now,
      maxSessionsPerUser: 2,
      touchInterval: '1m',
      on: { destroyed: (e) => e.reason === 'evicted' && evicted.push(e.key) },
    })
    const first = await loginFrom(engine, 'gina', 'first')
    clock.advance(5 * 60_000)
    const second = await loginFrom(engine, 'gina', 'second')
    clock.advance(5 * 60_000)
    // Using the first session makes the second the least recently used.
    await exchange(engine, first.cookie, (s) => s.get('views'))
    clock.advance(5 * 60_000)
    const third = await loginFrom(engine, 'gina', 'third')
    expect(evicted).toHaveLength(1)
    await exchange(engine, second.cookie, (s) => expect(s.userId).toBeNull())
    await exchange(engine, first.cookie, (s) => expect(s.userId).toBe('gina'))
    await exchange(engine, third.cookie, (s) => expect(s.userId).toBe('gina'))
  })

  it('a login never evicts its own session in favour of older ones', async () => {
    const clock = manualClock()
    const engine = testEngine<Data>({ now: clock.now, maxSessionsPerUser: 1 })
    const old = await loginFrom(engine, 'ines', 'old')
    clock.advance(1000)
    const fresh = await loginFrom(engine, 'ines', 'new')
    await exchange(engine, fresh.cookie, (s) => expect(s.userId).toBe('ines'))
    await exchange(engine, old.cookie, (s) => expect(s.userId).toBeNull())
  })

  it('per-user features need a signed-in session', async () => {
    const engine = testEngine<Data>()
    await exchange(engine, undefined, async (s) => {
      await expect(s.listSessions()).rejects.toThrow(/login\(userId\)/)
    })
  })
})

describe('flash and CSRF', () => {
  it('flash messages survive one redirect and are taken once', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => {
      s.flash('info', 'Saved!')
      s.flash('info', 'Twice')
    })
    await exchange(engine, first.cookie, (s) =>
      expect(s.takeFlash('info')).toEqual(['Saved!', 'Twice']),
    )
    await exchange(engine, first.cookie, (s) => expect(s.takeFlash('info')).toEqual([]))
  })

  it('the CSRF token is stable per session and compared in constant time', async () => {
    const engine = testEngine<Data>()
    let token = ''
    const first = await exchange(engine, undefined, (s) => {
      token = s.csrfToken()
    })
    expect(token).toMatch(/^[\w-]{43}$/)
    expect(first.setCookie).toBeDefined()
    await exchange(engine, first.cookie, (s) => {
      expect(s.csrfToken()).toBe(token)
      expect(s.verifyCsrfToken(token)).toBe(true)
      expect(s.verifyCsrfToken(`${token.slice(0, -1)}x`)).toBe(false)
      expect(s.verifyCsrfToken('')).toBe(false)
      expect(s.verifyCsrfToken(undefined)).toBe(false)
    })
    // A fresh session has no token to match.
    await exchange(engine, undefined, (s) => expect(s.verifyCsrfToken(token)).toBe(false))
  })
})

describe('conflicts', () => {
  it('re-applies only this request’s changes when another request wrote first', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => {
      s.set('cart', [])
      s.set('views', 0)
    })
    const a = engine.start({ cookie: first.cookie })
    const b = engine.start({ cookie: first.cookie })
    await Promise.all([a.load(), b.load()])
    a.session.update('cart', (cart) => [...(cart ?? []), 'a'])
    a.session.set('role', 'editor')
    b.session.update('cart', (cart) => [...(cart ?? []), 'b'])
    b.session.update('views', (v) => (v ?? 0) + 1)
    await b.commit()
    await a.commit()
    await exchange(engine, first.cookie, (s) => {
      expect(s.get('cart')).toEqual(['b', 'a'])
      expect(s.get('views')).toBe(1)
      expect(s.get('role')).toBe('editor')
    })
  })

  it('replays one key’s set, update and delete in the order the request made them', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => s.set('views', 10))
    const a = engine.start({ cookie: first.cookie })
    const b = engine.start({ cookie: first.cookie })
    await Promise.all([a.load(), b.load()])
    a.session.set('views', 1)
    a.session.update('views', (v) => (v ?? 0) + 1)
    a.session.set('role', 'editor')
    a.session.delete('role')
    a.session.update('role', (r) => `${r ?? 'none'}:again`)
    b.session.update('views', (v) => (v ?? 0) + 5)
    b.session.set('cart', ['b'])
    let conflicts = 0
    engine.on('conflict', () => conflicts++)
    await b.commit()
    await a.commit()
    expect(conflicts).toBe(1)
    await exchange(engine, first.cookie, (s) => {
      // b's write survives; a's set(1) replaces b's 15, then a's update: 2; the role's
      // operations replay in order from nothing.
      expect(s.get('cart')).toEqual(['b'])
      expect(s.get('views')).toBe(2)
      expect(s.get('role')).toBe('none:again')
    })
  })

  it('gives up with SessionConflictError after maxCommitRetries', async () => {
    const inner = new MemoryStore()
    const store = {
      ...bind(inner),
      set: async (k: string, r: Parameters<MemoryStore['set']>[1], e: number | null) =>
        e === null ? inner.set(k, r, e) : false,
    }
    const engine = testEngine<Data>({ store, maxCommitRetries: 2 })
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    await expect(exchange(engine, first.cookie, (s) => s.set('views', 2))).rejects.toMatchObject({
      code: 'SESSION_CONFLICT',
      attempts: 3,
    })
  })
})

function bind(store: MemoryStore) {
  return {
    get: store.get.bind(store),
    set: store.set.bind(store),
    touch: store.touch.bind(store),
    destroy: store.destroy.bind(store),
  }
}

describe('store failures', () => {
  it('a failing store surfaces as SessionStoreError (503) naming the operation', async () => {
    const engine = testEngine<Data>({
      store: {
        ...bind(new MemoryStore()),
        get: async () => {
          throw new Error('ECONNREFUSED')
        },
        set: async () => {
          throw new Error('ECONNREFUSED')
        },
      },
    })
    await expect(exchange(engine, undefined, (s) => s.set('views', 1))).rejects.toMatchObject({
      name: 'SessionStoreError',
      code: 'SESSION_STORE_FAILED',
      status: 503,
      operation: 'set',
    })
  })

  it('a hanging store fails within storeTimeout', async () => {
    const healthy = testEngine<Data>()
    const cookie = (await exchange(healthy, undefined, (s) => s.set('views', 1))).cookie
    const engine = testEngine<Data>({
      storeTimeout: 100,
      store: { ...bind(new MemoryStore()), get: () => new Promise(() => {}) },
    })
    const started = Date.now()
    await expect(exchange(engine, cookie)).rejects.toMatchObject({
      code: 'SESSION_STORE_TIMEOUT',
      timedOut: true,
      status: 503,
    })
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('a store that throws synchronously is handled the same way', async () => {
    const engine = testEngine<Data>({
      store: {
        ...bind(new MemoryStore()),
        set: () => {
          throw new Error('boom')
        },
      },
    })
    await expect(exchange(engine, undefined, (s) => s.set('views', 1))).rejects.toMatchObject({
      operation: 'set',
    })
  })

  it('the same engine recovers when the store does', async () => {
    let down = true
    const inner = new MemoryStore()
    const engine = testEngine<Data>({
      store: {
        ...bind(inner),
        set: (k, r, e) => (down ? Promise.reject(new Error('down')) : inner.set(k, r, e)),
      },
    })
    await expect(exchange(engine, undefined, (s) => s.set('views', 1))).rejects.toThrow(/down/)
    down = false
    const res = await exchange(engine, undefined, (s) => s.set('views', 1))
    expect(res.setCookie).toBeDefined()
  })
})

describe('limits', () => {
  it('a payload over maxSize fails with SessionTooLargeError naming the size', async () => {
    const engine = testEngine<{ blob: string }>({ maxSize: 1024 })
    await expect(
      exchange(engine, undefined, (s) => s.set('blob', 'é'.repeat(600))),
    ).rejects.toMatchObject({
      name: 'SessionTooLargeError',
      code: 'SESSION_TOO_LARGE',
      limit: 1024,
    })
  })
})

describe('events', () => {
  it('reports created, conflict, destroyed and invalid', async () => {
    const seen: string[] = []
    const { store } = countingStore()
    const engine = testEngine<Data>({ store })
    for (const name of [
      'created',
      'destroyed',
      'invalid',
      'conflict',
      'regenerated',
      'expired',
    ] as const) {
      engine.on(name, () => seen.push(name))
    }
    const stop = engine.on('created', () => {
      throw new Error('a throwing listener must not break the request')
    })
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    stop()
    await exchange(engine, 'tessera.sid=garbage.x')
    await exchange(engine, first.cookie, (s) => s.destroy())
    expect(seen).toEqual(['created', 'destroyed'])
    const a = `tessera.sid=${'A'.repeat(43)}.${'B'.repeat(43)}`
    await exchange(engine, a)
    expect(seen).toContain('invalid')
  })
})

describe('adapter conveniences', () => {
  it('regenerate() starts an empty session under a new id, as express-session does', async () => {
    const regenerated: string[] = []
    const engine = testEngine<Data>({ on: { regenerated: (e) => regenerated.push(e.previousKey) } })
    const first = await exchange(engine, undefined, async (s) => {
      await s.login('zoe')
      s.set('role', 'admin')
      s.flash('info', 'hi')
    })
    const second = await exchange(engine, first.cookie, async (s) => {
      await s.regenerate()
      expect(s.all()).toEqual({})
      expect(s.userId).toBeNull()
      expect(s.takeFlash('info')).toEqual([])
      s.set('views', 1)
    })
    expect(second.cookie).not.toBe(first.cookie)
    expect(regenerated).toHaveLength(1)
    await exchange(engine, first.cookie, (s) => expect(s.isNew).toBe(true))
    await exchange(engine, second.cookie, (s) => expect(s.all()).toEqual({ views: 1 }))
  })

  it('takeAllFlash() returns and removes every message', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => {
      s.flash('info', 'a')
      s.flash('error', 'b')
    })
    await exchange(engine, first.cookie, (s) =>
      expect(s.takeAllFlash()).toEqual({ info: ['a'], error: ['b'] }),
    )
    await exchange(engine, first.cookie, (s) => expect(s.takeAllFlash()).toEqual({}))
  })

  it('commit({ canSetCookie: false }) stores no new session, but still saves an existing one', async () => {
    const { store, calls, reset } = countingStore()
    const engine = testEngine<Data>({ store })
    const rs = engine.start({})
    await rs.load()
    rs.session.set('views', 1)
    expect(await rs.commit({ canSetCookie: false })).toEqual([['vary', 'Cookie']])
    expect(calls.set).toBeUndefined()
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    reset()
    const again = engine.start({ cookie: first.cookie })
    await again.load()
    again.session.set('views', 2)
    await again.commit({ canSetCookie: false })
    expect(calls.set).toBe(1)
  })
})

describe('un-awaited lifecycle calls', () => {
  it('a write made while destroy() is pending lands on the new session', async () => {
    const engine = testEngine<Data>()
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    const res = await exchange(engine, first.cookie, async (s) => {
      const pending = s.destroy()
      s.set('role', 'light')
      await pending
    })
    expect(res.cookie).not.toBe(first.cookie)
    await exchange(engine, res.cookie, (s) => expect(s.all()).toEqual({ role: 'light' }))
  })
})

describe('store errors: outages and setup mistakes told apart', () => {
  it('an outage is a 503 SessionStoreError naming the address, without a doubled period', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390.'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 6390,
    })
    const both = new AggregateError(
      [
        Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' }),
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ],
      '',
    )
    for (const [cause, address] of [
      [refused, '127.0.0.1:6390'],
      [both, '127.0.0.1:5432'],
    ] as const) {
      const store = new MemoryStore()
      store.get = () => Promise.reject(cause)
      const engine = testEngine({ store })
      const first = await exchange(testEngine({ store: new MemoryStore() }), undefined, (s) =>
        s.set('a', 1),
      )
      const rs = engine.start({ cookie: first.cookie })
      const error = await rs.load().then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(SessionStoreError)
      expect((error as SessionStoreError).status).toBe(503)
      expect((error as Error).message).toContain(address)
      expect((error as Error).message).toContain('ECONNREFUSED')
      expect((error as Error).message).not.toMatch(/\.\./)
    }
  })

  it('a setup mistake (SessionStoreConfigError) passes through unwrapped, as a 500 with the fix', async () => {
    class TableMissing extends SessionStoreConfigError<'TEST_TABLE_MISSING'> {
      constructor() {
        super('TEST_TABLE_MISSING', 'The table is missing: create it with createTable().')
      }
    }
    const store = new MemoryStore()
    store.set = () => Promise.reject(new TableMissing())
    const engine = testEngine({ store })
    const rs = engine.start({})
    await rs.load()
    rs.session.set('a', 1)
    const error = await rs.commit().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(TableMissing)
    expect(error).toMatchObject({ status: 500, code: 'TEST_TABLE_MISSING' })
  })

  it('engine.ready() checks the store once; a failure is tried again by the next call', async () => {
    let calls = 0
    let fail = true
    const store = Object.assign(new MemoryStore(), {
      ready: async () => {
        calls++
        if (fail) throw new Error('not yet')
      },
    })
    const engine = testEngine({ store })
    await expect(engine.ready()).rejects.toBeInstanceOf(SessionStoreError)
    fail = false
    await engine.ready()
    await engine.ready()
    expect(calls).toBe(2)
  })
})
