import { randomBytes } from 'node:crypto'
import { CookieJar } from '@tessera/adapter-suite'
import type { SessionStore } from '@tessera/core'
import { expect } from 'vitest'
import { BulkClient } from '../src/bulk-client.js'
import { CHECKS } from '../src/checks.js'
import { check, describeCombinations } from '../src/combinations.js'
import { mapConcurrent } from '../src/concurrency.js'
import { exchange, rawRequest, readSession } from '../src/http-client.js'
import {
  COOKIE_NAME,
  clearsCookie,
  idOf,
  parseSetCookie,
  sessionCookiesOf,
  signId,
  storeKeyOf,
} from '../src/session-cookies.js'
import { openStoreFixtures } from '../src/store-fixtures.js'

// Checks 01–04: what an id is, and what the app does with ids it did not issue.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const fixtures = await openStoreFixtures()

/** A signed-in session holding data; returns its cookie value. */
async function signedInCookie(url: string): Promise<string> {
  const jar = new CookieJar()
  await exchange(url, '/set?key=secret&value=s3cr3t', { jar })
  await exchange(url, '/login?user=alice', { jar })
  const value = jar.get(COOKIE_NAME)
  if (!value) throw new Error('no session cookie after login')
  const view = await readSession(url, { cookie: value })
  expect(view.userId).toBe('alice')
  return value
}

/** `request` as the raw bytes of a GET with one Cookie header (latin1: any byte goes). */
function rawGet(path: string, cookieHeader: string): Buffer {
  return Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookieHeader}\r\nConnection: close\r\n\r\n`,
    'latin1',
  )
}

function bodyJson(body: string): unknown {
  const start = body.indexOf('{')
  const end = body.lastIndexOf('}')
  return start < 0 || end < start ? null : JSON.parse(body.slice(start, end + 1))
}

describeCombinations(fixtures, (c) => {
  check(c, CHECKS.ids, async () => {
    const app = await c.start()
    const client = new BulkClient(app.port)
    const values = await mapConcurrent(1000, 8, async (i) => {
      const response = await client.request('POST', `/set?key=n&value=${i}`)
      const cookie = BulkClient.setCookies(response)
        .map(parseSetCookie)
        .find((candidate) => candidate.name === COOKIE_NAME)
      if (!cookie) throw new Error('a write to a new session issued no cookie')
      return cookie.value
    })
    client.close()
    const ids = values.map(idOf)
    expect(new Set(ids).size, 'every id is unique').toBe(1000)
    const bitOnes = new Array<number>(256).fill(0)
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const bytes = Buffer.from(id, 'base64url')
      expect(bytes.length, '256 bits').toBe(32)
      expect(bytes.toString('base64url'), 'canonical base64url').toBe(id)
      for (let bit = 0; bit < 256; bit++) {
        if (((bytes[bit >> 3] as number) >> (7 - (bit & 7))) & 1) bitOnes[bit]!++
      }
    }
    // No structure: random ids share only short prefixes (6 chars is 36 bits: a pair among
    // 1000 ids shares one with probability below 1e-5), every leading symbol occurs, and
    // no bit position is biased (each is set in 500 ± 120 of 1000 ids: over 7 sigma).
    const sorted = [...ids].sort()
    let longestShared = 0
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1] as string
      const b = sorted[i] as string
      let n = 0
      while (n < a.length && a[n] === b[n]) n++
      longestShared = Math.max(longestShared, n)
    }
    expect(longestShared, 'longest prefix two ids share').toBeLessThan(6)
    expect(new Set(ids.map((id) => id[0])).size, 'distinct first symbols').toBeGreaterThan(58)
    for (const ones of bitOnes) expect(ones).toBeGreaterThan(380)
    for (const ones of bitOnes) expect(ones).toBeLessThan(620)
  })

  check(c, CHECKS.strict, async () => {
    const store = c.newStore() as SessionStore
    const app = await c.start({ store })
    const forged = signId(randomBytes(32).toString('base64url'))
    const read = await readSession(app.url, { cookie: forged })
    expect(read.userId).toBeNull()
    expect(read.data).toEqual({})
    expect(clearsCookie(read.response), 'the unknown id is cleared').toBe(true)
    const write = await exchange(app.url, '/set?key=a&value=1', { cookie: forged })
    expect(write.status).toBe(200)
    const [issued] = sessionCookiesOf(write.response)
    expect(issued, 'a write starts a session of its own').toBeDefined()
    expect(idOf(issued!.value), 'a fresh id is issued, never the presented one').not.toBe(
      idOf(forged),
    )
    expect(await store.get(storeKeyOf(forged)), 'nothing stored under the forged id').toBeNull()
    expect(await store.get(storeKeyOf(issued!.value))).not.toBeNull()
  })

  check(c, CHECKS.malformed, async () => {
    const app = await c.start()
    const valid = await signedInCookie(app.url)
    const name = COOKIE_NAME
    const cases: Array<[label: string, cookieHeader: string, noSession: boolean]> = [
      ['empty', `${name}=`, true],
      ['overlong (10 000 chars)', `${name}=${'A'.repeat(10_000)}`, true],
      ['over the header limit (20 000 chars)', `${name}=${'A'.repeat(20_000)}`, true],
      ['one char too long', `${name}=${valid}A`, true],
      ['truncated', `${name}=${valid.slice(0, -1)}`, true],
      ['path traversal', `${name}=../../../../etc/passwd`, true],
      ['path traversal over the id', `${name}=../${valid.slice(3)}`, true],
      ['unbalanced double quote', `${name}="${valid}`, true],
      ['single quotes', `${name}='${valid}'`, true],
      ['quoted garbage', `${name}="\\"\\\\"`, true],
      ['NUL inside', `${name}=${valid.slice(0, 10)}\0${valid.slice(11)}`, true],
      ['CRLF inside', `${name}=${valid.slice(0, 20)}\r\n${valid.slice(20)}`, true],
      ['bare LF inside', `${name}=${valid.slice(0, 20)}\n${valid.slice(20)}`, true],
      ['bare CR inside', `${name}=${valid.slice(0, 20)}\r${valid.slice(20)}`, true],
      ['invalid UTF-8', `${name}=${valid.slice(0, 10)}\xC3\x28${valid.slice(12)}`, true],
      ['overlong UTF-8 slash', `${name}=\xC0\xAF\xC0\xAF`, true],
      ['UTF-8 surrogate bytes', `${name}=\xED\xA0\x80${valid.slice(3)}`, true],
      ['percent-encoded char', `${name}=${valid.slice(0, 43)}%2E${valid.slice(44)}`, true],
      ['space inside', `${name}=${valid.slice(0, 30)} ${valid.slice(30)}`, true],
      ['comma-joined pair', `${name}=${valid},${valid}`, true],
      ['JSON', `${name}={"id":"${valid}"}`, true],
      ['many cookies of one name', Array(500).fill(`${name}=x`).join('; '), true],
      [
        'many cookies of one name, then the valid one',
        `${Array(500).fill(`${name}=x`).join('; ')}; ${name}=${valid}`,
        false,
      ],
      [
        'many names',
        Array.from({ length: 300 }, (_, i) => `c${i}=${'v'.repeat(30)}`).join('; '),
        true,
      ],
    ]
    for (const [label, header, noSession] of cases) {
      for (const path of ['/read', '/set?key=k&value=v']) {
        const request =
          path === '/read'
            ? rawGet(path, header)
            : Buffer.from(rawGet(path, header).toString('latin1').replace(/^GET/, 'POST'), 'latin1')
        const response = await rawRequest(app.port, request)
        expect(response.status, `${label} (${path}) answered`).not.toBeNull()
        expect(response.status!, `${label} (${path}) is never a 5xx`).toBeLessThan(500)
        if (noSession && path === '/read' && response.status === 200) {
          expect(bodyJson(response.body), `${label} is no session`).toEqual({
            userId: null,
            data: {},
          })
        }
      }
    }
  })

  check(c, CHECKS.flipped, async () => {
    const app = await c.start()
    const valid = await signedInCookie(app.url)
    const variants: Array<[label: string, cookie: string]> = []
    for (let i = 0; i < valid.length; i++) {
      const at = ALPHABET.indexOf(valid[i] as string)
      const replacements =
        at < 0 ? ['A', '~'] : [ALPHABET[at ^ 32] as string, ALPHABET[at ^ 1] as string, '~']
      for (const replacement of replacements) {
        variants.push([
          `char ${i} → ${replacement}`,
          valid.slice(0, i) + replacement + valid.slice(i + 1),
        ])
      }
    }
    for (let i = 0; i < COOKIE_NAME.length; i++) {
      const flipped = String.fromCharCode(COOKIE_NAME.charCodeAt(i) ^ 1)
      const otherName = COOKIE_NAME.slice(0, i) + flipped + COOKIE_NAME.slice(i + 1)
      variants.push([`name char ${i}`, `__name__${otherName}=${valid}`])
    }
    const client = new BulkClient(app.port)
    const results = await mapConcurrent(variants.length, 8, async (index) => {
      const [label, cookie] = variants[index]!
      const header = cookie.startsWith('__name__')
        ? cookie.slice('__name__'.length)
        : `${COOKIE_NAME}=${cookie}`
      const response = await client.request('GET', '/read', { cookie: header })
      if (response.status !== 200) return `${label}: status ${response.status}`
      const view = JSON.parse(response.body) as { userId: unknown; data: object }
      return view.userId === null && Object.keys(view.data).length === 0 ? null : label
    })
    client.close()
    expect(
      results.filter((label) => label !== null),
      'variants that still led to the session',
    ).toEqual([])
    // The untouched cookie still works: the flips, not the session, were refused.
    expect((await readSession(app.url, { cookie: valid })).userId).toBe('alice')
  })
})
