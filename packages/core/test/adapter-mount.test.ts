import { CsrfTokenError, SessionConfigError, SessionStoreError, TesseraError } from '@tessera/core'
import {
  firstForwarded,
  SessionMount,
  splitAdapterOptions,
  withSessionHeaders,
} from '@tessera/core/adapter'
import { describe, expect, it, vi } from 'vitest'
import { SECRET, testEngine } from './helpers.js'

const hints = { accessor: 'ctx.session', proxyFix: 'set `app.proxy = true`' }

describe('errors as web responses', () => {
  it('a Tessera error with a client or availability status answers with its own response', async () => {
    const csrf = new CsrfTokenError().getResponse?.()
    expect(csrf?.status).toBe(403)
    expect(csrf?.headers.get('content-type')).toBe('text/plain; charset=UTF-8')
    expect(await csrf?.text()).toBe(new CsrfTokenError().message)
    const store = new SessionStoreError('get', { cause: new Error('down') }).getResponse?.()
    expect(store?.status).toBe(503)
    // A 5xx does not show its message (it may name servers): the status text instead.
    expect(await store?.text()).toBe('Service Unavailable')
  })

  it('a 500 has none, so frameworks log it instead of answering quietly', () => {
    expect('getResponse' in new SessionConfigError('secret', 'is missing.')).toBe(false)
    expect('getResponse' in new TesseraError('X', 'a bug')).toBe(false)
  })
})

describe('splitAdapterOptions', () => {
  it("takes the adapter's names off the options, where they win over the adapter options", () => {
    const adapterOptions: { proxy?: boolean } = { proxy: false }
    const options: { secret: string; proxy?: boolean } = { secret: SECRET, proxy: true }
    const { forEngine, adapter } = splitAdapterOptions(options, adapterOptions, ['proxy'])
    expect(forEngine).toEqual({ secret: SECRET })
    expect(adapter).toEqual({ proxy: true })
  })

  it('given an engine, only the adapter options count', () => {
    const engine = testEngine()
    const adapterOptions: { proxy?: boolean } = { proxy: true }
    const { forEngine, adapter } = splitAdapterOptions(engine, adapterOptions, ['proxy'])
    expect(forEngine).toBe(engine)
    expect(adapter).toEqual({ proxy: true })
  })
})

describe('SessionMount', () => {
  it('delivers a Secure cookie over HTTPS and to loopback hosts, asking `secure` only when needed', () => {
    const mount = new SessionMount({ secret: SECRET }, hints)
    const secure = vi.fn(() => false)
    expect(mount.canDeliverId('localhost:3000', secure)).toBe(true)
    expect(mount.canDeliverId('[::1]', secure)).toBe(true)
    expect(secure).not.toHaveBeenCalled()
    expect(mount.canDeliverId('app.example', secure)).toBe(false)
    expect(mount.canDeliverId('app.example', () => true)).toBe(true)
    expect(mount.canDeliverId('app.example', secure, false), 'a cookie without Secure').toBe(true)
    expect(mount.alwaysDelivers).toBe(false)
    const plain = new SessionMount({ secret: SECRET, cookie: { secure: false } }, hints)
    expect(plain.alwaysDelivers).toBe(true)
    expect(plain.canDeliverId('app.example', secure)).toBe(true)
    expect(plain.canDeliverId('app.example', secure, true), 'Secure set for this response').toBe(
      false,
    )
  })

  it('warns once about a withheld cookie and about a second mount of another engine, naming the fix', () => {
    const warnings: Array<{ message: string; code: string }> = []
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(((
      message: string,
      options: { code: string },
    ) => {
      warnings.push({ message, code: options.code })
    }) as typeof process.emitWarning)
    try {
      const mount = new SessionMount({ secret: SECRET }, hints)
      mount.warnInsecure()
      mount.warnInsecure()
      mount.secondMount({ engine: mount.engine, mount: 'the same' }, 'GET /', 'mounted later')
      mount.secondMount({ engine: {}, mount: 'the first' }, 'GET /a', 'mounted later')
      mount.secondMount({ engine: {}, mount: 'the first' }, 'GET /b', 'mounted later')
    } finally {
      spy.mockRestore()
    }
    expect(warnings.map((warning) => warning.code)).toEqual([
      'TESSERA_INSECURE_COOKIE',
      'TESSERA_SESSION_MOUNTED_TWICE',
    ])
    expect(warnings[0]?.message).toContain('set `app.proxy = true`')
    expect(warnings[1]?.message).toMatch(
      /^Two session\(\) middlewares ran for GET \/a: the first already set ctx\.session, so the session\(\) created at \S+ \(mounted later\) is ignored/,
    )
  })

  it('reads the first hop of X-Forwarded-* headers', () => {
    expect(firstForwarded('https, http')).toBe('https')
    expect(firstForwarded([' 10.0.0.1 , 10.0.0.2', 'x'])).toBe('10.0.0.1')
    expect(firstForwarded('')).toBeUndefined()
    expect(firstForwarded(undefined)).toBeUndefined()
  })
})

describe('withSessionHeaders', () => {
  it('appends cookies, merges Vary, and copies a response whose headers are immutable', () => {
    const headers: Array<[string, string]> = [
      ['set-cookie', 'sid=1'],
      ['vary', 'Cookie'],
      ['cache-control', 'no-store'],
    ]
    const mutable = new Response('ok', { headers: { vary: 'Accept-Encoding' } })
    expect(withSessionHeaders(mutable, headers)).toBe(mutable)
    expect(mutable.headers.get('vary')).toBe('Accept-Encoding, Cookie')
    const redirect = Response.redirect('http://127.0.0.1/next', 302)
    const copy = withSessionHeaders(redirect, headers)
    expect(copy).not.toBe(redirect)
    expect(copy.status).toBe(302)
    expect(copy.headers.getSetCookie()).toEqual(['sid=1'])
    expect(copy.headers.get('location')).toBe('http://127.0.0.1/next')
  })

  it('adds nothing to a protocol switch', () => {
    const upgrade = new Response(null, { status: 200 })
    Object.defineProperty(upgrade, 'status', { value: 101 })
    expect(withSessionHeaders(upgrade, [['set-cookie', 'sid=1']]).headers.getSetCookie()).toEqual(
      [],
    )
  })
})
