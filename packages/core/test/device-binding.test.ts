import {
  MemoryStore,
  type Session,
  SessionConfigError,
  type SessionData,
  type SessionEngine,
  type SessionEvents,
} from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { testEngine } from './helpers.js'

type Engine = SessionEngine<SessionData>

/** One request from a device (user agent and IP); the cookie the browser sends next. */
async function from(
  engine: Engine,
  device: { agent: string; ip: string },
  cookie: string | undefined,
  route: (session: Session) => unknown = () => {},
) {
  const rs = engine.start({ cookie, userAgent: device.agent, ip: () => device.ip })
  await rs.load()
  const result = await route(rs.session)
  const headers = await rs.commit()
  const setCookie = headers.find(([name]) => name === 'set-cookie')?.[1]
  const next = setCookie
    ? /Max-Age=0/.test(setCookie)
      ? undefined
      : setCookie.split(';')[0]
    : cookie
  return { cookie: next, result }
}

const laptop = { agent: 'Firefox/140', ip: '203.0.113.7' }

describe('device metadata and soft binding', () => {
  it('trackIp: listSessions shows the IP a session was created from and last seen from', async () => {
    const engine = testEngine({ store: new MemoryStore(), trackIp: true })
    const first = await from(engine, laptop, undefined, (s) => s.login('ada'))
    await from(engine, { ...laptop, ip: '198.51.100.9' }, first.cookie)
    const [session] = await engine.listUserSessions('ada')
    expect(session).toMatchObject({
      userAgent: 'Firefox/140',
      ip: '203.0.113.7',
      lastIp: '198.51.100.9',
    })
  })

  it("binding 'warn' fires `binding` and keeps the session; 'reject' gives the request none and leaves it to its device", async () => {
    const events: Array<SessionEvents['binding']> = []
    const engine = testEngine({
      store: new MemoryStore(),
      trackIp: true,
      binding: { userAgent: 'reject', ip: 'warn' },
      on: { binding: (event) => events.push(event) },
    })
    const first = await from(engine, laptop, undefined, async (s) => {
      await s.login('ada')
      s.set('cart', ['book'])
    })
    const moved = await from(engine, { ...laptop, ip: '198.51.100.9' }, first.cookie, (s) =>
      s.get('cart'),
    )
    expect(moved.result, 'another network: warned only').toEqual(['book'])
    const stolen = await from(
      engine,
      { agent: 'curl/8', ip: laptop.ip },
      first.cookie,
      (s) => s.isNew,
    )
    expect(stolen.result, 'another user agent: no session').toBe(true)
    expect(events.map((e) => [e.attribute, e.rejected, e.userId])).toEqual([
      ['ip', false, 'ada'],
      ['userAgent', true, 'ada'],
    ])
    const back = await from(engine, laptop, first.cookie, (s) => s.get('cart'))
    expect(back.result, 'the laptop is still signed in').toEqual(['book'])
  })

  it('IP binding needs trackIp, and actions are checked at start-up', () => {
    expect(() => testEngine({ binding: { ip: 'reject' } })).toThrow(/trackIp/)
    expect(() => testEngine({ binding: { userAgent: 'strict' as 'reject' } })).toThrow(
      SessionConfigError,
    )
  })
})
