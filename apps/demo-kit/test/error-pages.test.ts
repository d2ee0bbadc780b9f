import { CsrfTokenError, SessionFeatureUnsupportedError, SessionStoreError } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import {
  bareContext,
  CSRF_REFUSED,
  errorMessage,
  errorPage,
  errorStatus,
  sessionsPage,
} from '../src/index.js'

const ctx = bareContext(
  { framework: 'Test', idleTimeoutMs: 60_000, absoluteTimeoutMs: 3_600_000, store: 'cookie' },
  '/',
)

describe('error pages', () => {
  it('answer each error with its status and the most precise message', () => {
    const csrf = new CsrfTokenError()
    expect(errorStatus(csrf)).toBe(403)
    expect(errorMessage(csrf)).toBe(CSRF_REFUSED)

    const unsupported = new SessionFeatureUnsupportedError('Revoking a session', 'CookieStore …')
    expect(errorStatus(unsupported)).toBe(501)
    expect(errorMessage(unsupported)).toContain('Revoking a session is unavailable')

    const outage = new SessionStoreError('get', { timeoutMs: 5000 })
    expect(errorStatus(outage)).toBe(503)
    expect(errorMessage(outage)).toBeUndefined()

    expect(errorStatus(Object.assign(new Error('too big'), { status: 413 }))).toBe(413)
    expect(errorStatus(new TypeError('bug'))).toBe(500)
    expect(errorStatus(null)).toBe(500)
  })

  it('render a titled page for every status the demos answer with', () => {
    for (const [status, title] of [
      [403, 'Forbidden'],
      [404, 'Not found'],
      [501, 'Not available with this store'],
      [503, 'Session store unavailable'],
      [500, 'Something went wrong'],
    ] as const) {
      expect(errorPage(ctx, status).value).toContain(
        `<h1 id="error-status">${status} · ${title}</h1>`,
      )
    }
  })

  it('explain on /sessions that CookieStore cannot list sessions', () => {
    const page = sessionsPage(ctx, { unavailable: 'Listing sessions is unavailable: …' }).value
    expect(page).toContain('id="sessions-unavailable"')
    expect(page).toContain('needs a server-side store')
    expect(page).not.toContain('Sign out everywhere else')
  })
})
