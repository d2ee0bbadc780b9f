import { createHmac } from 'node:crypto'
import { CookieJar, send } from '@tessera/adapter-suite'
import type { ExpressSessionStore } from '@tessera/express'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../../examples/express/import-express-sessions.js'
import { listen, type Served } from '../src/serve.js'

// docs/migrating-from-express-session.md quotes examples/express/import-express-sessions.ts:
// a browser still carrying an express-session cookie comes back signed in. The legacy side is
// what express-session leaves behind: a record in its store, and the cookie `s:<sid>.<sig>`
// signed as cookie-signature signs it (packages/express tests run the real express-session,
// connect-redis and connect-pg-simple).

const OLD_SECRET = 'the secret express-session had'

/** An express-session store as the importer calls it: callback get and destroy. */
function legacyStore(records: Map<string, unknown>): ExpressSessionStore {
  return {
    get: (sid, callback) => setImmediate(() => callback(null, records.get(sid) ?? null)),
    destroy: (sid, callback) => {
      records.delete(sid)
      setImmediate(() => callback?.())
    },
  }
}

const signed = (sid: string) =>
  `s:${sid}.${createHmac('sha256', OLD_SECRET).update(sid).digest('base64').replace(/=+$/, '')}`

let served: Served | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
})

describe('examples/express/import-express-sessions.ts', () => {
  it('signs a passport user of express-session in under Tessera, once', async () => {
    process.env.OLD_SESSION_SECRET = OLD_SECRET
    const records = new Map<string, unknown>([
      [
        'legacy-sid',
        {
          cookie: { originalMaxAge: 3_600_000, expires: new Date(Date.now() + 3_600_000) },
          passport: { user: 'u-alice' },
        },
      ],
    ])
    served = await listen(createApp(legacyStore(records)))
    const jar = new CookieJar()
    jar.set('connect.sid', encodeURIComponent(signed('legacy-sid')))

    const first = await send(served.url, '/', { jar, signal: AbortSignal.timeout(5_000) })
    expect(await first.text()).toBe('Signed in as Alice')
    expect(jar.get('connect.sid')).toBeUndefined()
    expect(jar.get('tessera.sid')).toBeDefined()
    const deadline = Date.now() + 5_000
    while (records.has('legacy-sid') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(records.has('legacy-sid')).toBe(false)

    expect(await (await send(served.url, '/', { jar })).text()).toBe('Signed in as Alice')
    const forged = new CookieJar()
    forged.set('connect.sid', encodeURIComponent('s:legacy-sid.forged'))
    expect(await (await send(served.url, '/', { jar: forged })).text()).toBe('Signed out')
  })
})
