import { CookieStore, MemoryStore, SessionConfigError, SessionDataError } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { exchange, manualClock, testEngine } from './helpers.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const maxAgeOf = (setCookie: string | undefined) =>
  Number(/Max-Age=(\d+)/.exec(setCookie ?? '')?.[1])

describe('per-session lifetime ("remember me")', () => {
  it('setLifetime() gives one session its own idle timeout, stored and enforced on read', async () => {
    const clock = manualClock()
    const engine = testEngine({ now: clock.now, idleTimeout: '1h', absoluteTimeout: '7d' })
    const short = await exchange(engine, undefined, (s) => s.set('a', 1))
    const long = await exchange(engine, undefined, (s) => {
      s.set('a', 2)
      s.setLifetime({ idle: '2d' })
      expect(s.lifetime.idleTimeoutMs).toBe(2 * DAY)
    })
    clock.advance(3 * HOUR)
    await exchange(engine, short.cookie, (s) => expect(s.isNew).toBe(true))
    await exchange(engine, long.cookie, (s) => expect(s.get('a')).toBe(2))
    clock.advance(3 * DAY)
    await exchange(engine, long.cookie, (s) => expect(s.isNew).toBe(true))
  })

  it('login(userId, { remember: true }) takes the rememberMe lifetime; the cookie follows', async () => {
    const engine = testEngine({ idleTimeout: '1h', absoluteTimeout: '1d' })
    const plain = await exchange(engine, undefined, (s) => s.login('ana'))
    const remembered = await exchange(engine, undefined, (s) => s.login('ana', { remember: true }))
    expect(maxAgeOf(plain.setCookie)).toBe(DAY / 1000)
    expect(maxAgeOf(remembered.setCookie)).toBe((90 * DAY) / 1000)
    await exchange(engine, remembered.cookie, (s) => {
      expect(s.lifetime).toEqual({
        idleTimeoutMs: 30 * DAY,
        absoluteTimeoutMs: 90 * DAY,
        persistent: true,
      })
    })
  })

  it('persistent: false makes a browser-session cookie; null returns to the defaults', async () => {
    const engine = testEngine()
    const first = await exchange(engine, undefined, (s) => {
      s.set('a', 1)
      s.setLifetime({ persistent: false })
    })
    expect(first.setCookie).not.toMatch(/Max-Age/)
    const reset = await exchange(engine, first.cookie, (s) => s.setLifetime(null))
    expect(reset.setCookie).toMatch(/Max-Age=\d+/)
  })

  it('a lifetime over maxLifetime is refused with the option to raise', async () => {
    const engine = testEngine({ maxLifetime: { idle: '7d', absolute: '30d' } })
    await exchange(engine, undefined, (s) => {
      expect(() => s.setLifetime({ idle: '8d' })).toThrow(SessionConfigError)
      expect(() => s.setLifetime({ absolute: '31d' })).toThrow(/maxLifetime\.absolute/)
      expect(() => s.setLifetime({ absolute: false })).toThrow(/cannot be false/)
    })
  })

  it('works the same sealed in the cookie', async () => {
    const clock = manualClock()
    const engine = testEngine({
      now: clock.now,
      idleTimeout: '1h',
      store: new CookieStore({ keys: 'cookie-store-key-of-at-least-32-characters' }),
    })
    const long = await exchange(engine, undefined, (s) => {
      s.set('a', 1)
      s.setLifetime({ idle: '1d' })
    })
    clock.advance(3 * HOUR)
    await exchange(engine, long.cookie, (s) => expect(s.get('a')).toBe(1))
  })
})

describe('freshness', () => {
  it('login() records authenticatedAt; isFresh() and reauthenticated() guard sensitive routes', async () => {
    const clock = manualClock()
    const engine = testEngine({ now: clock.now })
    const anonymous = await exchange(engine, undefined, (s) => {
      expect(s.authenticatedAt).toBeNull()
      expect(s.isFresh('5m')).toBe(false)
      s.set('a', 1)
    })
    const signedIn = await exchange(engine, anonymous.cookie, (s) => s.login('ben'))
    clock.advance(4 * 60_000)
    await exchange(engine, signedIn.cookie, (s) => expect(s.isFresh('5m')).toBe(true))
    clock.advance(2 * 60_000)
    await exchange(engine, signedIn.cookie, (s) => {
      expect(s.isFresh('5m')).toBe(false)
      s.reauthenticated()
    })
    await exchange(engine, signedIn.cookie, (s) => {
      expect(s.isFresh('5m')).toBe(true)
      expect(s.authenticatedAt).toBe(clock.now())
    })
  })
})

describe('response options', () => {
  it('rolling: true re-sends the cookie on every response of an existing session', async () => {
    const plain = testEngine()
    const rolling = testEngine({ rolling: true })
    for (const [engine, expected] of [
      [plain, false],
      [rolling, true],
    ] as const) {
      const first = await exchange(engine, undefined, (s) => s.set('a', 1))
      const read = await exchange(engine, first.cookie, (s) => s.get('a'))
      expect(read.setCookie !== undefined).toBe(expected)
      const none = await exchange(engine, undefined, (s) => s.get('a'))
      expect(none.setCookie, 'no session, nothing to roll').toBeUndefined()
    }
  })

  it('cookie.priority and per-response cookie overrides, validated like the options', async () => {
    const engine = testEngine({ cookie: { priority: 'high' } })
    const first = await exchange(engine, undefined, (s) => s.set('a', 1))
    expect(first.setCookie).toMatch(/; Priority=High/)
    const rs = engine.start({})
    await rs.load()
    rs.session.set('a', 1)
    const headers = await rs.commit({ cookie: { sameSite: 'strict', path: '/app' } })
    const setCookie = headers.find(([name]) => name === 'set-cookie')?.[1]
    expect(setCookie).toMatch(/Path=\/app/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    const bad = engine.start({})
    await bad.load()
    bad.session.set('a', 1)
    await expect(bad.commit({ cookie: { sameSite: 'none', secure: false } })).rejects.toThrow(
      /SameSite=None/,
    )
  })

  it('clearSiteData: true sends Clear-Site-Data when a session ends, not for a stray cookie', async () => {
    const engine = testEngine({ clearSiteData: true })
    const first = await exchange(engine, undefined, (s) => s.login('cai'))
    const out = await exchange(engine, first.cookie, (s) => s.logout())
    expect(out.header('clear-site-data')).toBe('"cookies"')
    const stray = await exchange(engine, first.cookie, (s) => s.get('a'))
    expect(stray.setCookie).toMatch(/Max-Age=0/)
    expect(stray.header('clear-site-data')).toBeUndefined()
  })
})

describe('rotation and hardening', () => {
  it('a session encrypted under an old key is re-encrypted with the newest on first use', async () => {
    const store = new MemoryStore()
    const OLD = 'the-previous-encryption-key-32-characters-long'
    const NEW = 'an-encryption-key-of-at-least-32-characters!!'
    const before = testEngine({ store, encryption: { keys: OLD } })
    const first = await exchange(before, undefined, (s) => s.set('a', 1))
    const during = testEngine({ store, encryption: { keys: [NEW, OLD] } })
    await exchange(during, first.cookie, (s) => expect(s.get('a')).toBe(1))
    const after = testEngine({ store, encryption: { keys: NEW } })
    await exchange(after, first.cookie, (s) => expect(s.get('a')).toBe(1))
  })

  it('CookieStore with a revocation list refuses a sealed cookie replayed after logout', async () => {
    const revoked = new MemoryStore()
    const key = 'cookie-store-key-of-at-least-32-characters'
    const withList = testEngine({
      store: new CookieStore({ keys: key, revocation: { store: revoked } }),
    })
    const first = await exchange(withList, undefined, (s) => s.login('dee'))
    await exchange(withList, first.cookie, (s) => expect(s.userId).toBe('dee'))
    await exchange(withList, first.cookie, (s) => s.logout())
    await exchange(withList, first.cookie, (s) => expect(s.userId).toBeNull())
    expect(revoked.size).toBe(1)
    // Without the list, the copy stays valid until it expires (documented).
    const withoutList = testEngine({ store: new CookieStore({ keys: key }) })
    const second = await exchange(withoutList, undefined, (s) => s.login('dee'))
    await exchange(withoutList, second.cookie, (s) => s.logout())
    await exchange(withoutList, second.cookie, (s) => expect(s.userId).toBe('dee'))
  })

  it('a sealed cookie whose last character differs only in its unused bits is refused', async () => {
    const engine = testEngine({
      store: new CookieStore({ keys: 'cookie-store-key-of-at-least-32-characters' }),
    })
    const first = await exchange(engine, undefined, (s) => s.set('a', 1))
    const [name, value] = (first.cookie as string).split('=') as [string, string]
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(value.at(-1) as string)
    const unused = value.length % 4 === 2 ? 0b1111 : 0b11
    const twin = `${value.slice(0, -1)}${alphabet[last ^ (unused & 1)]}`
    expect(twin).not.toBe(value)
    await exchange(engine, `${name}=${twin}`, (s) => expect(s.isNew).toBe(true))
  })

  it('a stored user id that is not a short string, or data nested too deep, is a corrupt payload', async () => {
    const store = new MemoryStore()
    const engine = testEngine({ store })
    const reasons: string[] = []
    engine.on('invalid', (e) => reasons.push(e.reason))
    for (const payload of [
      `{"c":${Date.now()},"u":42}\n{}`,
      `{"c":${Date.now()},"u":"${'x'.repeat(2000)}"}\n{}`,
      `{"c":${Date.now()}}\n${'['.repeat(5000)}${']'.repeat(5000)}`,
    ]) {
      const first = await exchange(engine, undefined, (s) => s.set('a', 1))
      const id = (first.cookie as string).split('=')[1]?.split('.')[0] as string
      const key = await engine.options.crypto.sha256(id)
      const current = await store.get(key)
      await store.set(key, { ...(current as NonNullable<typeof current>), payload, version: 2 }, 1)
      await exchange(engine, first.cookie, (s) => expect(s.isNew).toBe(true))
    }
    expect(reasons).toEqual(['corrupt-payload', 'corrupt-payload', 'corrupt-payload'])
    await exchange(engine, undefined, async (s) => {
      await expect(s.login('x'.repeat(2000))).rejects.toThrow(TypeError)
    })
    const rs = engine.start({})
    await rs.load()
    let deep: unknown = 1
    for (let i = 0; i < 1500; i++) deep = [deep]
    rs.session.set('deep', deep)
    await expect(rs.commit()).rejects.toBeInstanceOf(SessionDataError)
  })
})
