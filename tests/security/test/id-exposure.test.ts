import { CookieJar, type SwitchableStore, switchableStore } from '@tessera/adapter-suite'
import type { SessionEventName, SessionStore } from '@tessera/core'
import { expect } from 'vitest'
import { CHECKS } from '../src/checks.js'
import { check, describeCombinations } from '../src/combinations.js'
import { sleep } from '../src/concurrency.js'
import { cookieOf, type Exchange, exchange, readSession } from '../src/http-client.js'
import { captureLogs, describe as describeLogged } from '../src/log-capture.js'
import { COOKIE_NAME, idOf, sessionCookiesOf } from '../src/session-cookies.js'
import { openStoreFixtures } from '../src/store-fixtures.js'

// Checks 14–15: the id travels in the cookie (or the configured header) and nowhere else.

const fixtures = await openStoreFixtures()
const ID_HEADER = 'x-session-id'
const EVENTS: SessionEventName[] = [
  'created',
  'regenerated',
  'destroyed',
  'expired',
  'conflict',
  'invalid',
]

/** Everything a response shows besides its Set-Cookie lines: status line parts, headers, body. */
function visibleParts(result: Exchange): string[] {
  const parts = [result.text]
  result.response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') parts.push(`${name}: ${value}`)
  })
  return parts
}

/** The shared suite's switchable store, keeping the per-user index of the store it wraps. */
function breakableStore(store: SessionStore): SwitchableStore {
  return Object.assign(switchableStore(store), {
    listByUser: store.listByUser?.bind(store),
    destroyByUser: store.destroyByUser?.bind(store),
  })
}

describeCombinations(fixtures, (c) => {
  check(c, CHECKS.notFromUrl, async () => {
    const app = await c.start()
    const jar = new CookieJar()
    await exchange(app.url, '/login?user=alice', { jar })
    const value = cookieOf(jar)
    const encoded = encodeURIComponent(value)
    const attempts: Array<[string, Parameters<typeof exchange>[2] & { path: string }]> = [
      ['query, cookie name', { path: `/read?${COOKIE_NAME}=${encoded}` }],
      [
        'query, usual names',
        { path: `/read?sid=${encoded}&sessionId=${encoded}&session=${encoded}&id=${encoded}` },
      ],
      [
        'form field',
        {
          path: '/read',
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `${COOKIE_NAME}=${encoded}&sid=${encoded}`,
        },
      ],
      [
        'JSON body',
        {
          path: '/read',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ [COOKIE_NAME]: value, sid: value }),
        },
      ],
      ['id header in cookie mode', { path: '/read', headers: { [ID_HEADER]: value } }],
      ['bearer token', { path: '/read', headers: { authorization: `Bearer ${value}` } }],
      ['another cookie name', { path: '/read', headers: { cookie: `sid=${value}` } }],
    ]
    for (const [label, { path, ...options }] of attempts) {
      const result = await exchange<{ userId: string | null }>(app.url, path, options)
      expect(result.status, label).toBe(200)
      expect(result.body.userId, `${label}: not signed in`).toBeNull()
    }
    expect((await readSession(app.url, { cookie: value })).userId, 'the cookie itself works').toBe(
      'alice',
    )

    // Header mode: the header carries the id; a cookie or the URL still does not.
    const headerApp = await c.start({ idFrom: { header: ID_HEADER } })
    const login = await exchange(headerApp.url, '/login?user=bob')
    const headerValue = login.response.headers.get(ID_HEADER)
    expect(headerValue, 'header mode returns the id in its header').toBeTruthy()
    const asHeader = await readSession(headerApp.url, { headers: { [ID_HEADER]: headerValue! } })
    expect(asHeader.userId).toBe('bob')
    for (const [label, options] of [
      ['cookie', { headers: { cookie: `${COOKIE_NAME}=${headerValue}` } }],
      ['query', { headers: {} }],
    ] as const) {
      const path =
        label === 'query' ? `/read?${ID_HEADER}=${encodeURIComponent(headerValue!)}` : '/read'
      const result = await exchange<{ userId: string | null }>(headerApp.url, path, options)
      expect(result.body.userId, `header mode, id in the ${label}`).toBeNull()
    }
  })

  check(c, CHECKS.notDisclosed, async () => {
    const logs = captureLogs()
    try {
      const store = c.store.serverSide ? breakableStore(c.newStore() as SessionStore) : undefined
      const app = await c.start({
        ...(store ? { store, storeTimeout: 500 } : {}),
        ...(c.store.serverSide ? { maxSize: 4096 } : {}),
      })
      const events: string[] = []
      for (const name of EVENTS) {
        app.engine.on(name, (event) => events.push(`${name} ${JSON.stringify(event)}`))
      }
      const jar = new CookieJar()
      const results: Array<[string, Exchange]> = []
      const values = new Set<string>()
      const run = async (path: string, options: Parameters<typeof exchange>[2] = { jar }) => {
        const result = await exchange(app.url, path, options)
        results.push([path, result])
        for (const cookie of sessionCookiesOf(result.response)) {
          if (cookie.value) values.add(cookie.value)
        }
        return result
      }
      for (const path of ['/set?key=a&value=1', '/login?user=alice', '/read', '/role?role=admin']) {
        await run(path)
      }
      const redirect = await run('/redirect')
      expect(redirect.status).toBe(302)
      expect(redirect.response.headers.get('location')).toBe('/read')
      for (const path of ['/boom', '/throw', '/big?bytes=5000', '/inc?key=n']) await run(path)
      if (c.store.serverSide) {
        await run('/sessions')
        await run('/password')
      }
      if (store) {
        store.mode = 'fail'
        const down = await run('/read')
        expect(down.status, 'a store failure answers 503').toBe(503)
        store.mode = 'ok'
      }
      const lastValue = cookieOf(jar)
      await run('/logout')
      await run('/read', { cookie: lastValue }) // a dead id: refused, 'invalid' or no event
      const remote = await c.start({ cookie: { secure: undefined } })
      await exchange(remote.url, '/set?key=a&value=1', { headers: { host: 'app.example' } })
      await sleep(20) // process warnings are emitted on the next tick

      expect(values.size, 'the sequence issued several ids').toBeGreaterThanOrEqual(3)
      const needles = [...values].flatMap((value) =>
        c.store.serverSide ? [value, idOf(value)] : [value, value.slice(0, 40)],
      )
      const places: Array<[string, string]> = [
        ...results.flatMap(([path, result]) =>
          visibleParts(result).map((part): [string, string] => [`response to ${path}`, part]),
        ),
        ...logs.lines.map((line): [string, string] => ['log line', line]),
        ...events.map((line): [string, string] => ['event', line]),
        ...app.errors.map((error): [string, string] => [
          'error seen by the app',
          describeLogged(error),
        ]),
      ]
      expect(events.length, 'the engine emitted its audit events').toBeGreaterThan(3)
      expect(app.errors.length, 'the failing routes reached the error handling').toBeGreaterThan(0)
      const leaks = places.filter(([, text]) => needles.some((needle) => text.includes(needle)))
      expect(leaks.map(([where, text]) => `${where}: ${text.slice(0, 160)}`)).toEqual([])
    } finally {
      logs.stop()
    }
  })
})
