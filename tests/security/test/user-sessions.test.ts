import { randomUUID } from 'node:crypto'
import { CookieJar } from '@tessera/adapter-suite'
import { expect } from 'vitest'
import { CHECKS } from '../src/checks.js'
import { check, describeCombinations } from '../src/combinations.js'
import { exchange, isFreshSession, readSession } from '../src/http-client.js'
import { COOKIE_NAME } from '../src/session-cookies.js'
import { openStoreFixtures } from '../src/store-fixtures.js'
import { TestClock } from '../src/test-clock.js'

// Checks 16–19: a user's sessions, as a whole: password change, listing and revoking,
// disabling the account, and the cap on concurrent sessions.

const fixtures = await openStoreFixtures()
const MINUTE = 60_000

/** A user id no other test (or run sharing the Redis server) uses. */
const uniqueUser = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`

interface SessionList {
  sessions: Array<{ handle: string; current: boolean }>
}

async function signIn(url: string, user: string): Promise<CookieJar> {
  const jar = new CookieJar()
  const login = await exchange(url, `/login?user=${encodeURIComponent(user)}`, { jar })
  expect(login.status).toBe(200)
  expect(jar.get(COOKIE_NAME)).toBeDefined()
  return jar
}

async function userOf(url: string, jar: CookieJar): Promise<string | null> {
  return (await readSession(url, { jar })).userId
}

describeCombinations(fixtures, (c) => {
  check(c, CHECKS.passwordChange, async () => {
    const app = await c.start()
    const user = uniqueUser('alice')
    const [current, laptop, phone] = [
      await signIn(app.url, user),
      await signIn(app.url, user),
      await signIn(app.url, user),
    ]
    const other = await signIn(app.url, uniqueUser('bob'))
    const change = await exchange<{ revoked: number }>(app.url, '/password', { jar: current! })
    expect(change.status).toBe(200)
    expect(change.body.revoked, 'the two other sessions').toBe(2)
    expect(await userOf(app.url, current!), 'the current session stays signed in').toBe(user)
    expect(await isFreshSession(app.url, { jar: laptop! })).toBe(true)
    expect(await isFreshSession(app.url, { jar: phone! })).toBe(true)
    expect(await userOf(app.url, other), "another user's session is untouched").not.toBeNull()
  })

  check(c, CHECKS.listRevoke, async () => {
    const app = await c.start()
    const user = uniqueUser('alice')
    const here = await signIn(app.url, user)
    const there = await signIn(app.url, user)
    const stranger = await signIn(app.url, uniqueUser('mallory'))
    const listed = await exchange<SessionList>(app.url, '/sessions', { jar: here })
    expect(listed.status).toBe(200)
    const sessions = listed.body.sessions
    expect(sessions).toHaveLength(2)
    expect(sessions.filter((s) => s.current)).toHaveLength(1)
    const otherHandle = sessions.find((s) => !s.current)!.handle
    const strangerList = await exchange<SessionList>(app.url, '/sessions', { jar: stranger })
    const strangerHandle = strangerList.body.sessions[0]!.handle

    const foreign = await exchange<{ revoked: boolean }>(
      app.url,
      `/revoke?handle=${encodeURIComponent(strangerHandle)}`,
      { jar: here },
    )
    expect(foreign.body.revoked, "another user's handle is not revocable").toBe(false)
    expect(await userOf(app.url, stranger)).not.toBeNull()

    const revoke = await exchange<{ revoked: boolean }>(
      app.url,
      `/revoke?handle=${encodeURIComponent(otherHandle)}`,
      { jar: here },
    )
    expect(revoke.body.revoked).toBe(true)
    expect(await isFreshSession(app.url, { jar: there }), 'refused on its next request').toBe(true)
    expect(await userOf(app.url, here)).toBe(user)
    const after = await exchange<SessionList>(app.url, '/sessions', { jar: here })
    expect(after.body.sessions).toEqual([{ handle: expect.any(String), current: true }])
  })

  check(c, CHECKS.disableUser, async () => {
    const app = await c.start()
    const user = uniqueUser('leaver')
    const jars = [await signIn(app.url, user), await signIn(app.url, user)]
    const colleague = await signIn(app.url, uniqueUser('stayer'))
    // From outside any request, as an admin tool or a "user disabled" hook would.
    expect(await app.engine.revokeUserSessions(user)).toBe(2)
    for (const jar of jars) expect(await isFreshSession(app.url, { jar })).toBe(true)
    expect(await userOf(app.url, colleague)).not.toBeNull()
    expect(await app.engine.listUserSessions(user)).toEqual([])
  })

  check(c, CHECKS.maxSessions, async () => {
    const clock = new TestClock()
    const app = await c.start({
      now: clock.now,
      maxSessionsPerUser: 2,
      idleTimeout: '30m',
      touchInterval: '1m',
    })
    const user = uniqueUser('alice')
    const first = await signIn(app.url, user)
    clock.advance(MINUTE)
    const second = await signIn(app.url, user)
    clock.advance(5 * MINUTE)
    // The first session is used again: now the second is the least recently used.
    expect(await userOf(app.url, first)).toBe(user)
    clock.advance(MINUTE)
    const third = await signIn(app.url, user)
    expect(await userOf(app.url, third), 'the new login stands').toBe(user)
    expect(await userOf(app.url, first), 'the recently used one stays').toBe(user)
    expect(await isFreshSession(app.url, { jar: second }), 'the least recently used one went').toBe(
      true,
    )
    expect(await app.engine.listUserSessions(user)).toHaveLength(2)
  })
})
