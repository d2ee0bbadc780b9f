import { createHmac, randomBytes } from 'node:crypto'
import { MemoryStore, SESSION_MEMBERS, type SessionOptions } from '@tessera/core'
import { slowStore } from '@tessera/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import type { AdapterHarness, RunningApp } from './adapter-harness.js'
import { CookieJar, type SendOptions, send } from './cookie-jar.js'
import { switchableStore } from './test-stores.js'

/** The secret the suite's sessions are signed with (tests forge cookies with it). */
export const SUITE_SECRET = 'adapter-suite-secret-that-is-long-enough-0123456789'
const COOKIE = 'tessera.sid'
const SIGNED_ID = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/

/**
 * The behaviour every framework adapter must show over real HTTP, run unchanged by each
 * adapter's tests: `describeAdapterBehaviour(expressHarness)`. See {@link AdapterHarness} for
 * the routes the app provides.
 */
export function describeAdapterBehaviour(harness: AdapterHarness): void {
  describe(`${harness.name}: adapter behaviour`, () => {
    const running: RunningApp[] = []
    afterEach(async () => {
      await Promise.all(running.splice(0).map((app) => app.close()))
    })

    /** Starts the app; `secure: false` unless the test passes cookie options itself. */
    async function start(options: Partial<SessionOptions> = {}) {
      const app = await harness.start({
        secret: SUITE_SECRET,
        store: new MemoryStore(),
        cookie: { secure: false },
        ...options,
      })
      running.push(app)
      const call = (path: string, init: SendOptions = {}) => send(app.url, path, init)
      const json = async <T = Record<string, unknown>>(path: string, init: SendOptions = {}) => {
        const response = await call(path, init)
        expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(200)
        return (await response.json()) as T
      }
      return { url: app.url, call, json }
    }

    describe('cookies', () => {
      it('sets nothing for a route that never touches the session', async () => {
        const app = await start()
        const response = await app.call('/noop')
        expect(response.status).toBe(200)
        expect(response.headers.getSetCookie()).toEqual([])
        expect(response.headers.get('vary') ?? '').not.toMatch(/cookie/i)
      })

      it('does not create a session for a read of an empty session', async () => {
        const app = await start()
        const response = await app.call('/get?key=a')
        expect(response.status).toBe(200)
        expect(response.headers.getSetCookie()).toEqual([])
        expect(response.headers.get('vary') ?? '').toMatch(/cookie/i)
      })

      it('issues a signed cookie with secure defaults (HttpOnly, Secure, SameSite=Lax, Path=/)', async () => {
        const app = await start({ cookie: {} })
        const response = await app.call('/set?key=a&value=1', {
          method: 'POST',
          headers: { 'x-forwarded-proto': 'https' },
        })
        expect(response.status).toBe(200)
        const cookies = response.headers.getSetCookie()
        expect(cookies).toHaveLength(1)
        const [pair, ...attributes] = (cookies[0] as string).split('; ')
        expect(pair?.startsWith(`${COOKIE}=`)).toBe(true)
        expect(pair?.slice(COOKIE.length + 1)).toMatch(SIGNED_ID)
        const lower = attributes.map((attribute) => attribute.toLowerCase())
        expect(lower).toContain('httponly')
        expect(lower).toContain('secure')
        expect(lower).toContain('samesite=lax')
        expect(lower).toContain('path=/')
        expect(lower.some((attribute) => /^max-age=\d+$/.test(attribute))).toBe(true)
        expect(response.headers.get('cache-control')).toMatch(/no-store/)
        expect(response.headers.get('vary')).toMatch(/cookie/i)
      })

      it('gives tampered, unsigned, garbage and oversized cookies a new session, never a 5xx', async () => {
        const app = await start()
        const jar = new CookieJar()
        await app.json('/set?key=who&value=owner', { method: 'POST', jar })
        const valid = jar.get(COOKIE) as string
        const [id, signature] = valid.split('.') as [string, string]
        const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`
        const variants = [
          `${id}.${flipped}`,
          id,
          `${id}.`,
          `.${signature}`,
          'garbage',
          '%%%;;;===',
          '"quoted"',
          `${valid}${'x'.repeat(5000)}`,
          'x'.repeat(6000),
          `${id.slice(0, 20)}.${signature}`,
          `${valid}.${signature}`,
          'ünïcødé',
        ]
        for (const value of variants) {
          const headers = { cookie: `${COOKIE}=${value}` }
          const read = await app.call('/get?key=who', { headers })
          expect(read.status, `GET with cookie ${value.slice(0, 40)}`).toBe(200)
          const body = (await read.json()) as { value: unknown; isNew: boolean }
          expect(body.value).toBeNull()
          expect(body.isNew).toBe(true)
          const write = await app.call('/set?key=who&value=intruder', { method: 'POST', headers })
          expect(write.status, `POST with cookie ${value.slice(0, 40)}`).toBe(200)
          const issued = new CookieJar()
          issued.update(write)
          expect(issued.get(COOKIE)).toMatch(SIGNED_ID)
          expect(issued.get(COOKIE)).not.toBe(valid)
        }
        // The owner's session is untouched.
        expect((await app.json('/get?key=who', { jar })).value).toBe('owner')
      })

      it('never adopts a well-formed, correctly signed id the store does not know', async () => {
        const app = await start()
        const unknownId = randomBytes(32).toString('base64url')
        const signature = createHmac('sha256', SUITE_SECRET).update(unknownId).digest('base64url')
        const headers = { cookie: `${COOKIE}=${unknownId}.${signature}` }
        const read = (await app.json('/get?key=a', { headers })) as { id: string; isNew: boolean }
        expect(read.isNew).toBe(true)
        expect(read.id).not.toBe(unknownId)
        const write = await app.call('/set?key=a&value=1', { method: 'POST', headers })
        expect(write.status).toBe(200)
        const jar = new CookieJar()
        jar.update(write)
        expect(jar.get(COOKIE)?.startsWith(`${unknownId}.`)).toBe(false)
        expect((await app.json('/get?key=a', { jar })).value).toBe('1')
        expect((await app.json('/get?key=a', { headers })).value).toBeNull()
      })

      for (const [kind, route] of [
        ['writes on every request', (i: number): [string, string] => [`/append?item=${i}`, 'POST']],
        ['only reads', (): [string, string] => ['/get?key=cart', 'GET']],
      ] as const) {
        it(`keeps a user who ${kind} signed in when the cookie's Max-Age follows the idle timeout`, async () => {
          // absoluteTimeout: false, as express-session users configure: the cookie lives for
          // idleTimeout from its issue, so every move of the expiry must re-issue it.
          let now = Date.now()
          const clock = () => now
          const app = await start({
            now: clock,
            absoluteTimeout: false,
            idleTimeout: 2000,
            touchInterval: 1000,
          })
          const jar = new CookieJar(clock)
          await app.json('/append?item=start', { method: 'POST', jar })
          for (let i = 0; i < 20; i++) {
            now += 500
            expect(jar.get(COOKIE), `the cookie is alive at ${(i + 1) * 500} ms`).toBeDefined()
            const [path, method] = route(i)
            await app.json(path, { method, jar })
          }
          const cart = (await app.json<{ value: string[] }>('/get?key=cart', { jar })).value
          expect(cart).toHaveLength(kind === 'only reads' ? 1 : 21)
          // Throttled like touches: about one re-issue per touchInterval, not one per request.
          expect(jar.issued).toBeLessThanOrEqual(13)
        })
      }
    })

    describe('data', () => {
      it('round-trips values and saves nested mutation', async () => {
        const app = await start()
        const jar = new CookieJar()
        await app.json('/set?key=color&value=blue', { method: 'POST', jar })
        await app.json('/push?item=apple', { method: 'POST', jar })
        await app.json('/push?item=pear', { method: 'POST', jar })
        expect((await app.json('/get?key=color', { jar })).value).toBe('blue')
        expect((await app.json('/get?key=cart', { jar })).value).toEqual(['apple', 'pear'])
      })

      it('costs one store read and no write for read-only traffic', async () => {
        const store = switchableStore(new MemoryStore())
        const app = await start({ store })
        const jar = new CookieJar()
        await app.json('/set?key=a&value=1', { method: 'POST', jar })
        const before = { ...store.calls }
        const response = await app.call('/get?key=a', { jar })
        expect(response.status).toBe(200)
        expect(response.headers.getSetCookie()).toEqual([])
        expect((store.calls.get ?? 0) - (before.get ?? 0)).toBe(1)
        expect((store.calls.set ?? 0) - (before.set ?? 0)).toBe(0)
      })

      it('saves nothing when the response is a 5xx', async () => {
        const app = await start()
        const jar = new CookieJar()
        await app.json('/set?key=a&value=1', { method: 'POST', jar })
        const boom = await app.call('/boom', { jar })
        expect(boom.status).toBe(500)
        expect((await app.json('/get?key=lost', { jar })).value).toBeNull()
        expect((await app.json('/get?key=a', { jar })).value).toBe('1')
      })

      it('shows a write to a redirect followed at once (read-your-writes)', async () => {
        const app = await start({ store: slowStore(new MemoryStore(), { minMs: 5, maxMs: 20 }) })
        for (let round = 0; round < 5; round++) {
          const jar = new CookieJar()
          const redirect = await app.call('/write-and-redirect', { jar })
          expect(redirect.status).toBe(302)
          const location = redirect.headers.get('location') as string
          expect(location).toContain('/get?key=flag')
          expect((await app.json(location, { jar })).value).toBe('written')
        }
      })

      it('keeps all 100 items of 100 concurrent update() calls on one session', async () => {
        const app = await start({ store: slowStore(new MemoryStore(), { minMs: 1, maxMs: 8 }) })
        const jar = new CookieJar()
        await app.json('/set?key=owner&value=me', { method: 'POST', jar })
        const items = Array.from({ length: 100 }, (_, i) => `item-${i}`)
        const responses = await Promise.all(
          items.map((item) =>
            app.call(`/append?item=${item}`, {
              method: 'POST',
              headers: { cookie: jar.header() as string },
            }),
          ),
        )
        expect(responses.map((response) => response.status)).toEqual(items.map(() => 200))
        const cart = (await app.json<{ value: string[] }>('/get?key=cart', { jar })).value
        expect(cart).toHaveLength(100)
        expect([...cart].sort()).toEqual([...items].sort())
      })

      it('keeps every key of concurrent requests that set different keys', async () => {
        const app = await start({ store: slowStore(new MemoryStore(), { minMs: 1, maxMs: 8 }) })
        const jar = new CookieJar()
        await app.json('/set?key=owner&value=me', { method: 'POST', jar })
        const keys = Array.from({ length: 30 }, (_, i) => `k${i}`)
        const cookie = jar.header() as string
        const responses = await Promise.all(
          keys.map((key) =>
            app.call(`/set?key=${key}&value=v-${key}`, { method: 'POST', headers: { cookie } }),
          ),
        )
        expect(responses.map((response) => response.status)).toEqual(keys.map(() => 200))
        for (const key of keys)
          expect((await app.json(`/get?key=${key}`, { jar })).value).toBe(`v-${key}`)
        expect((await app.json('/get?key=owner', { jar })).value).toBe('me')
      })

      it('reads back JSON with constructor and __proto__ keys intact, at any depth', async () => {
        const app = await start()
        const jar = new CookieJar()
        const values: Array<[key: string, json: string]> = [
          ['car', '{"name":"Ferrari","constructor":"Scuderia"}'],
          ['constructor', '"Scuderia"'],
          ['profile', '{"__proto__":{"admin":true},"name":"x"}'],
          ['deep', `${'{"a":'.repeat(200)}{"__proto__":{"admin":true}}${'}'.repeat(200)}`],
        ]
        for (const [key, json] of values) {
          await app.json(`/set-json?key=${key}&value=${encodeURIComponent(json)}`, {
            method: 'POST',
            jar,
          })
        }
        for (const [key, json] of values) {
          const read = await app.json<{ value: unknown; isNew: boolean }>(`/get?key=${key}`, {
            jar,
          })
          expect(read.isNew, key).toBe(false)
          expect(JSON.stringify(read.value), key).toBe(json)
        }
        expect(Object.prototype).not.toHaveProperty('admin')
      })

      it('delivers flash messages once', async () => {
        const app = await start()
        const jar = new CookieJar()
        await app.json('/flash?message=saved', { method: 'POST', jar })
        await app.json('/flash?message=again', { method: 'POST', jar })
        expect((await app.json('/flash', { jar })).messages).toEqual(['saved', 'again'])
        expect((await app.json('/flash', { jar })).messages).toEqual([])
      })
    })

    describe('lifecycle', () => {
      it('login issues a new id, kills the old cookie and keeps the data', async () => {
        const app = await start()
        const jar = new CookieJar()
        await app.json('/set?key=cart&value=full', { method: 'POST', jar })
        const before = jar.clone()
        const login = await app.call('/login?user=ada', { method: 'POST', jar })
        expect(login.status).toBe(200)
        expect(jar.get(COOKIE)).not.toBe(before.get(COOKIE))
        expect((await app.json('/whoami', { jar })).userId).toBe('ada')
        expect((await app.json('/get?key=cart', { jar })).value).toBe('full')
        expect((await app.json('/whoami', { jar: before.clone() })).userId).toBeNull()
        expect((await app.json('/get?key=cart', { jar: before.clone() })).value).toBeNull()
      })

      it('logout ends the session: cookie cleared, old cookie dead', async () => {
        const app = await start()
        const jar = new CookieJar()
        await app.json('/login?user=ada', { method: 'POST', jar })
        const signedIn = jar.clone()
        const logout = await app.call('/logout', { method: 'POST', jar })
        expect(logout.status).toBe(200)
        expect(logout.headers.getSetCookie().join()).toMatch(/Max-Age=0/i)
        expect(jar.get(COOKIE)).toBeUndefined()
        expect((await app.json('/whoami', { jar: signedIn })).userId).toBeNull()
      })

      it('maxSessionsPerUser leaves exactly the limit after concurrent logins', async () => {
        const app = await start({
          store: slowStore(new MemoryStore(), { minMs: 0, maxMs: 3 }),
          maxSessionsPerUser: 2,
        })
        for (let round = 0; round < 3; round++) {
          const user = `racer-${round}`
          const jars = Array.from({ length: 6 }, () => new CookieJar())
          await Promise.all(
            jars.map((jar) => app.json(`/login?user=${user}`, { method: 'POST', jar })),
          )
          let signedIn = 0
          for (const jar of jars) {
            if (!jar.get(COOKIE)) continue
            if ((await app.json('/whoami', { jar })).userId === user) signedIn++
          }
          expect(signedIn, `round ${round}`).toBe(2)
        }
      })

      it('destroy deletes the record and clears the cookie', async () => {
        const app = await start()
        const jar = new CookieJar()
        await app.json('/set?key=a&value=1', { method: 'POST', jar })
        const old = jar.clone()
        const destroyed = await app.call('/destroy', { method: 'POST', jar })
        expect(destroyed.status).toBe(200)
        expect(jar.get(COOKIE)).toBeUndefined()
        expect((await app.json('/get?key=a', { jar: old })).value).toBeNull()
      })
    })

    describe('session API', () => {
      it("reaches every Session member through the adapter's own accessor", async () => {
        const app = await start()
        const { members } = await app.json<{ members: Record<string, string> }>('/members')
        const properties: Record<string, string> = {
          id: 'string',
          isNew: 'boolean',
          userId: 'object',
          createdAt: 'number',
        }
        for (const member of SESSION_MEMBERS) {
          expect(members[member], member).toBe(properties[member] ?? 'function')
        }
      })
    })

    describe('csrf', () => {
      it('rejects unsafe requests without the right token (403), accepts the right one', async () => {
        const app = await start()
        const jar = new CookieJar()
        const { token } = await app.json<{ token: string }>('/csrf-token', { jar })
        expect(typeof token).toBe('string')
        const json = { 'content-type': 'application/json' }
        const form = { 'content-type': 'application/x-www-form-urlencoded' }
        const post = (headers: Record<string, string>, body: string) =>
          app.call('/protected', { method: 'POST', jar, headers, body })

        expect((await post(json, '{}')).status).toBe(403)
        expect((await post({ ...json, 'x-csrf-token': 'wrong' }, '{}')).status).toBe(403)
        expect((await post({ ...json, 'x-csrf-token': `${token}x` }, '{}')).status).toBe(403)
        expect((await post(form, 'name=x')).status).toBe(403)
        expect(
          (await post(form, `name=x&_csrf=${encodeURIComponent(`${token.slice(1)}`)}`)).status,
        ).toBe(403)

        expect((await post({ ...json, 'x-csrf-token': token }, '{}')).status).toBe(200)
        expect((await post(form, `name=x&_csrf=${encodeURIComponent(token)}`)).status).toBe(200)
      })

      it('rejects a token from another session', async () => {
        const app = await start()
        const mine = new CookieJar()
        const theirs = new CookieJar()
        await app.json('/csrf-token', { jar: mine })
        const { token } = await app.json<{ token: string }>('/csrf-token', { jar: theirs })
        const response = await app.call('/protected', {
          method: 'POST',
          jar: mine,
          headers: { 'x-csrf-token': token, 'content-type': 'application/json' },
          body: '{}',
        })
        expect(response.status).toBe(403)
      })

      it('rejects a request with no session at all', async () => {
        const app = await start()
        const response = await app.call('/protected', {
          method: 'POST',
          headers: { 'x-csrf-token': 'anything', 'content-type': 'application/json' },
          body: '{}',
        })
        expect(response.status).toBe(403)
      })
    })

    describe('id from a header', () => {
      it('reads and returns the id in x-session-id, without cookies', async () => {
        const app = await start({ idFrom: { header: 'x-session-id' } })
        const created = await app.call('/set?key=a&value=1', { method: 'POST' })
        expect(created.status).toBe(200)
        expect(created.headers.getSetCookie()).toEqual([])
        const id = created.headers.get('x-session-id') as string
        expect(id).toMatch(SIGNED_ID)
        const headers = { 'x-session-id': id }
        expect((await app.json('/get?key=a', { headers })).value).toBe('1')
        const read = await app.call('/get?key=a', { headers: { cookie: `${COOKIE}=${id}` } })
        expect(((await read.json()) as { value: unknown }).value).toBeNull()
      })
    })

    describe('id from a header, over plain HTTP with the default (Secure) cookie options', () => {
      it('creates the session and returns the id header, with no cookie warning', async () => {
        const warnings: unknown[] = []
        const original = process.emitWarning
        process.emitWarning = ((warning: unknown) => {
          warnings.push(warning)
        }) as typeof process.emitWarning
        try {
          const app = await start({ cookie: {}, idFrom: { header: 'x-session-id' } })
          const plain = { host: 'app.example' }
          const created = await app.call('/set?key=a&value=1', { method: 'POST', headers: plain })
          expect(created.status).toBe(200)
          expect(created.headers.getSetCookie()).toEqual([])
          const id = created.headers.get('x-session-id') as string
          expect(id).toMatch(SIGNED_ID)
          const read = await app.json('/get?key=a', { headers: { ...plain, 'x-session-id': id } })
          expect(read.value).toBe('1')
        } finally {
          process.emitWarning = original
        }
        expect(warnings).toEqual([])
      })
    })

    describe('store failures', () => {
      it('answers 503 while the store fails, and recovers when it is back', async () => {
        const store = switchableStore(new MemoryStore())
        const app = await start({ store })
        const jar = new CookieJar()
        await app.json('/set?key=a&value=1', { method: 'POST', jar })
        store.mode = 'fail'
        const read = await app.call('/get?key=a', { jar })
        expect(read.status).toBe(503)
        expect(read.headers.getSetCookie()).toEqual([])
        const write = await app.call('/set?key=b&value=2', { method: 'POST' })
        expect(write.status).toBe(503)
        expect(write.headers.getSetCookie()).toEqual([])
        // Requests without a session id need no store, so they keep working.
        expect((await app.call('/noop')).status).toBe(200)
        store.mode = 'ok'
        expect((await app.json('/get?key=a', { jar })).value).toBe('1')
      })

      it('answers 503 within the store timeout when the store hangs', async () => {
        const store = switchableStore(new MemoryStore())
        const app = await start({ store, storeTimeout: 200 })
        const jar = new CookieJar()
        await app.json('/set?key=a&value=1', { method: 'POST', jar })
        store.mode = 'hang'
        for (const [path, init] of [
          ['/get?key=a', { jar }],
          ['/set?key=b&value=2', { method: 'POST' }],
          ['/set?key=c&value=3', { method: 'POST', jar }],
        ] as const) {
          const started = performance.now()
          const response = await app.call(path, init)
          const elapsed = performance.now() - started
          expect(response.status, path).toBe(503)
          await response.arrayBuffer()
          expect(elapsed, path).toBeGreaterThanOrEqual(150)
          expect(elapsed, path).toBeLessThan(1500)
        }
        store.mode = 'ok'
        expect((await app.json('/get?key=a', { jar })).value).toBe('1')
      })
    })
  })
}
