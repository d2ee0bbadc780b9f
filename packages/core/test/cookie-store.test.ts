import {
  CookieStore,
  type CryptoProvider,
  defaultCryptoProvider,
  MemoryStore,
  SessionConfigError,
  type SessionEvents,
  SessionFeatureUnsupportedError,
} from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { countingOpens, exchange, manualClock, OLD_SECRET, SECRET, testEngine } from './helpers.js'

const KEY = 'cookie-store-key-of-at-least-32-characters'
const OLD_KEY = 'old-cookie-store-key-at-least-32-characters'

interface Data {
  cart: string[]
  blob: string
}

describe('CookieStore', () => {
  it('round trips the whole session through a sealed cookie', async () => {
    const engine = testEngine<Data>({ store: new CookieStore({ keys: KEY }) })
    let id = ''
    const first = await exchange(engine, undefined, (s) => {
      s.set('cart', ['apple'])
      id = s.id
    })
    expect(first.setCookie).toMatch(
      /^tessera\.sid=[\w-]+; Path=\/; Max-Age=604800; HttpOnly; Secure; SameSite=Lax$/,
    )
    expect(first.setCookie).not.toContain('apple')
    const second = await exchange(engine, first.cookie, (s) => {
      expect(s.get('cart')).toEqual(['apple'])
      expect(s.id).toBe(id)
      expect(s.isNew).toBe(false)
      s.get('cart')?.push('pear')
    })
    await exchange(engine, second.cookie, (s) => expect(s.get('cart')).toEqual(['apple', 'pear']))
    // An unchanged session sends no cookie.
    const third = await exchange(engine, second.cookie, (s) => s.get('cart'))
    expect(third.setCookie).toBeUndefined()
  })

  it('refuses tampered values and values copied into another cookie name', async () => {
    const engine = testEngine<Data>({ store: new CookieStore({ keys: KEY }) })
    const first = await exchange(engine, undefined, (s) => s.set('cart', ['a']))
    const value = (first.cookie as string).split('=')[1] as string
    const tampered = `${value.slice(0, 30)}${value[30] === 'A' ? 'B' : 'A'}${value.slice(31)}`
    for (const cookie of [
      `tessera.sid=${tampered}`,
      `tessera.sid=${value.slice(0, -5)}`,
      'tessera.sid=!!',
      `tessera.sid=${'A'.repeat(5000)}`,
    ]) {
      const res = await exchange(engine, cookie, (s) => expect(s.isNew).toBe(true))
      expect(res.setCookie).toMatch(/Max-Age=0/)
    }
    const renamed = testEngine<Data>({
      store: new CookieStore({ keys: KEY }),
      cookie: { name: 'other' },
    })
    await exchange(renamed, `other=${value}`, (s) => expect(s.get('cart')).toBeUndefined())
  })

  it('rotates keys: an old key opens, the new key re-seals', async () => {
    const before = testEngine<Data>({ store: new CookieStore({ keys: OLD_KEY }) })
    const first = await exchange(before, undefined, (s) => s.set('cart', ['x']))
    const after = testEngine<Data>({ store: new CookieStore({ keys: [KEY, OLD_KEY] }) })
    const res = await exchange(after, first.cookie, (s) => expect(s.get('cart')).toEqual(['x']))
    expect(res.setCookie).toBeDefined()
    const onlyNew = testEngine<Data>({ store: new CookieStore({ keys: KEY }) })
    await exchange(onlyNew, res.cookie, (s) => expect(s.get('cart')).toEqual(['x']))
    await exchange(onlyNew, first.cookie, (s) => expect(s.isNew).toBe(true))
  })

  it('without keys it seals with keys derived from the secret list', async () => {
    const before = testEngine<Data>({ secret: OLD_SECRET, store: new CookieStore() })
    const first = await exchange(before, undefined, (s) => s.set('cart', ['y']))
    const after = testEngine<Data>({ secret: [SECRET, OLD_SECRET], store: new CookieStore() })
    await exchange(after, first.cookie, (s) => expect(s.get('cart')).toEqual(['y']))
  })

  it('fails with SessionTooLargeError naming the size when the cookie would pass 4096 bytes', async () => {
    const engine = testEngine<Data>({ store: new CookieStore({ keys: KEY }) })
    const error = await exchange(engine, undefined, (s) => s.set('blob', 'x'.repeat(4000))).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ name: 'SessionTooLargeError', limit: 4096 })
    expect((error as Error).message).toMatch(
      /The session is \d{4} bytes, over the limit of 4096 bytes set by the 4096-byte cookie limit/,
    )
    const fits = await exchange(engine, undefined, (s) => s.set('blob', 'x'.repeat(2000)))
    expect((fits.setCookie as string).length).toBeLessThanOrEqual(4096)
  })

  it('enforces idle and absolute timeouts, and touches by re-issuing the cookie', async () => {
    const clock = manualClock()
    const engine = testEngine<Data>({
      store: new CookieStore({ keys: KEY }),
      now: clock.now,
      idleTimeout: '30m',
      absoluteTimeout: '2h',
      touchInterval: '5m',
    })
    let cookie = (await exchange(engine, undefined, (s) => s.set('cart', []))).cookie
    clock.advance(10 * 60_000)
    const touched = await exchange(engine, cookie, (s) => s.get('cart'))
    expect(touched.setCookie).toBeDefined()
    cookie = touched.cookie
    clock.advance(31 * 60_000)
    await exchange(engine, cookie, (s) => expect(s.isNew).toBe(true))
  })

  describe('opening on first use', () => {
    const sealedCookie = async () => {
      const engine = testEngine<Data>({ store: new CookieStore({ keys: KEY }) })
      return (await exchange(engine, undefined, (s) => s.set('cart', ['a']))).cookie as string
    }

    it('reads the seal on the first use of the session, and a route that never uses it commits nothing', async () => {
      const cookie = await sealedCookie()
      const engine = testEngine<Data>({ store: new CookieStore({ keys: KEY }) })
      const untouched = engine.start({ cookie })
      expect(untouched.readsOnUse).toBe(true)
      expect(untouched.loaded).toBe(true)
      expect(await untouched.commit()).toEqual([])
      const used = engine.start({ cookie })
      expect(used.session.get('cart')).toEqual(['a'])
      expect(used.readsOnUse).toBe(false)
      expect(await used.commit()).toEqual([['vary', 'Cookie']])
    })

    it('reports a tampered or expired seal when the route uses the session, not before', async () => {
      const clock = manualClock()
      const engine = testEngine<Data>({
        store: new CookieStore({ keys: KEY }),
        now: clock.now,
        idleTimeout: '30m',
      })
      const cookie = (await exchange(engine, undefined, (s) => s.set('cart', ['a']))).cookie
      const seen: Array<SessionEvents['invalid'] | SessionEvents['expired']> = []
      engine.on('invalid', (event) => seen.push(event))
      engine.on('expired', (event) => seen.push(event))
      const tampered = engine.start({ cookie: `${cookie}x` })
      expect(seen).toEqual([])
      expect(tampered.session.isNew).toBe(true)
      expect(seen).toEqual([{ reason: 'undecryptable' }])
      // The response clears the cookie that led nowhere.
      expect(
        (await tampered.commit()).some(
          ([name, value]) => name === 'set-cookie' && /Max-Age=0/.test(value),
        ),
      ).toBe(true)
      clock.advance(31 * 60_000)
      const expired = engine.start({ cookie })
      expect(expired.session.get('cart')).toBeUndefined()
      expect(seen[1]).toMatchObject({ reason: 'idle' })
    })

    it('opens before the route when something must wait or every request must see the seal', async () => {
      const asyncOpen: CryptoProvider = { ...defaultCryptoProvider(), synchronous: false }
      const cases: Array<[string, Partial<Parameters<typeof testEngine>[0]>]> = [
        ['an asynchronous crypto provider', { crypto: asyncOpen }],
        [
          'a revocation list',
          { store: new CookieStore({ keys: KEY, revocation: { store: new MemoryStore() } }) },
        ],
        ['rolling', { rolling: true }],
        ['trackIp', { trackIp: true }],
      ]
      const cookie = await sealedCookie()
      for (const [label, options] of cases) {
        const engine = testEngine<Data>({ store: new CookieStore({ keys: KEY }), ...options })
        const rs = engine.start({ cookie, ip: () => '127.0.0.1' })
        expect(rs.readsOnUse, label).toBe(false)
        expect(rs.loaded, label).toBe(false)
        await rs.load()
        expect(rs.session.get('cart'), label).toEqual(['a'])
      }
    })

    it('decrypts a cookie once: again, or one it sealed itself, it reads from memory, for at most 1024 cookies', async () => {
      const counter = countingOpens()
      const maker = testEngine<Data>({ store: new CookieStore({ keys: KEY }) })
      const cookies: string[] = []
      for (let i = 0; i < 1025; i++) {
        cookies.push(
          (await exchange(maker, undefined, (s) => s.set('cart', [`${i}`]))).cookie as string,
        )
      }
      const engine = testEngine<Data>({
        store: new CookieStore({ keys: KEY }),
        crypto: counter.provider,
      })
      const read = (cookie: string) => engine.start({ cookie }).session.get('cart')
      expect(read(cookies[0] as string)).toEqual(['0'])
      expect(read(cookies[0] as string)).toEqual(['0'])
      expect(counter.opened).toBe(1)
      // A cookie this engine sealed comes back without a decryption.
      const next = await exchange(engine, cookies[0], (s) => s.get('cart')?.push('x'))
      expect(read(next.cookie as string)).toEqual(['0', 'x'])
      expect(counter.opened).toBe(1)
      // 1024 seals are kept, the oldest goes first.
      for (const cookie of cookies.slice(1)) read(cookie)
      expect(counter.opened).toBe(1025)
      read(cookies[1024] as string)
      expect(counter.opened, 'the newest is still kept').toBe(1025)
      read(cookies[0] as string)
      expect(counter.opened, 'the oldest was let go').toBe(1026)
    })

    it('checks expiry on every read, kept cookie or not', async () => {
      const clock = manualClock()
      const engine = testEngine<Data>({
        store: new CookieStore({ keys: KEY }),
        now: clock.now,
        idleTimeout: '30m',
      })
      const { cookie } = await exchange(engine, undefined, (s) => s.set('cart', ['a']))
      expect(engine.start({ cookie }).session.get('cart')).toEqual(['a'])
      clock.advance(31 * 60_000)
      expect(engine.start({ cookie }).session.get('cart')).toBeUndefined()
    })

    it('names a provider that claims to be synchronous but returns a promise', async () => {
      const base = defaultCryptoProvider()
      const lying: CryptoProvider = {
        ...base,
        name: 'lying',
        open: async (secret, sealed, aad) => base.open(secret, sealed, aad),
      }
      const cookie = await sealedCookie()
      const engine = testEngine<Data>({ store: new CookieStore({ keys: KEY }), crypto: lying })
      const rs = engine.start({ cookie })
      expect(() => rs.session.get('cart')).toThrow(/"lying" says it is synchronous/)
    })
  })

  it('destroy, regenerate and login work without a server', async () => {
    const engine = testEngine<Data>({ store: new CookieStore({ keys: KEY }) })
    const first = await exchange(engine, undefined, (s) => s.set('cart', ['a']))
    let before = ''
    let after = ''
    const loggedIn = await exchange(engine, first.cookie, async (s) => {
      before = s.id
      await s.login('u1')
      after = s.id
    })
    expect(after).not.toBe(before)
    await exchange(engine, loggedIn.cookie, (s) => {
      expect(s.userId).toBe('u1')
      expect(s.get('cart')).toEqual(['a'])
    })
    const out = await exchange(engine, loggedIn.cookie, (s) => s.destroy())
    expect(out.setCookie).toMatch(/Max-Age=0/)
  })

  it('says clearly that server-state features are unavailable', async () => {
    const engine = testEngine<Data>({ store: new CookieStore({ keys: KEY }) })
    await exchange(engine, undefined, async (s) => {
      await s.login('u2')
      const error = await s.listSessions().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SessionFeatureUnsupportedError)
      expect((error as Error).message).toMatch(/CookieStore/)
    })
    expect(() =>
      testEngine({ store: new CookieStore({ keys: KEY }), maxSessionsPerUser: 3 }),
    ).toThrow(SessionConfigError)
    expect(() => testEngine({ store: new CookieStore({ keys: 'short' }) })).toThrow(/`store.keys`/)
  })

  it('works with the id header', async () => {
    const engine = testEngine<Data>({
      store: new CookieStore({ keys: KEY }),
      idFrom: { header: 'x-session' },
    })
    const first = await exchange(engine, undefined, (s) => s.set('cart', ['h']))
    const value = first.header('x-session') as string
    await exchange(engine, undefined, (s) => expect(s.get('cart')).toEqual(['h']), {
      headers: { 'x-session': value },
    })
  })
})

describe('per-user features under CookieStore', () => {
  it('fail at the call with SessionFeatureUnsupportedError (501), signed in or not', async () => {
    const engine = testEngine({ store: new CookieStore({ keys: KEY }) })
    await exchange(engine, undefined, async (s) => {
      for (const call of [() => s.listSessions(), () => s.revokeOtherSessions()]) {
        const error = await call().then(
          () => null,
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(SessionFeatureUnsupportedError)
        expect(error).toMatchObject({ status: 501 })
      }
    })
  })
})
