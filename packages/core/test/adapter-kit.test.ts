import { PassThrough } from 'node:stream'
import { SessionConfigError, SessionStoreError, TesseraError } from '@tessera/core'
import {
  canDeliverId,
  createWarnOnce,
  engineFrom,
  errorStatus,
  FormBodyTooLargeError,
  mergeVary,
  parseTokenBody,
  readNodeBody,
  readWebBody,
  resolveCsrfPolicy,
  tokenBodyKind,
  tokenField,
} from '@tessera/core/adapter'
import { describe, expect, it, vi } from 'vitest'
import { SECRET, testEngine } from './helpers.js'

describe('the adapter kit', () => {
  it('csrf policy: defaults, validation, and a hint for renamed options', () => {
    const policy = resolveCsrfPolicy()
    expect(policy).toMatchObject({ header: 'x-csrf-token', field: '_csrf', bodyLimit: 102_400 })
    for (const method of ['GET', 'head', 'OPTIONS', 'TRACE'])
      expect(policy.needsToken(method)).toBe(false)
    for (const method of ['POST', 'put', 'PATCH', 'DELETE', 'PROPFIND'])
      expect(policy.needsToken(method)).toBe(true)
    expect(resolveCsrfPolicy({ safeMethods: ['GET', 'POST'] }).needsToken('post')).toBe(false)
    expect(() => resolveCsrfPolicy({ methods: ['POST'] } as never)).toThrow(/safeMethods/)
    expect(() => resolveCsrfPolicy({ header: 'bad header' })).toThrow(SessionConfigError)
    expect(() => resolveCsrfPolicy({ bodyLimit: -1 })).toThrow(/bodyLimit/)
  })

  it('finds the token in urlencoded, JSON and multipart bodies', async () => {
    const encode = (text: string) => new TextEncoder().encode(text)
    expect(tokenBodyKind('application/x-www-form-urlencoded; charset=utf-8')).toBe('urlencoded')
    expect(tokenBodyKind('application/vnd.api+json')).toBe('json')
    expect(tokenBodyKind('text/plain')).toBeNull()
    const form = await parseTokenBody(encode('_csrf=a&_csrf=b'), 'urlencoded', '')
    expect(tokenField(form, '_csrf')).toBe('a')
    expect(tokenField(await parseTokenBody(encode('{"_csrf":"j"}'), 'json', ''), '_csrf')).toBe('j')
    expect(await parseTokenBody(encode('{nope'), 'json', '')).toBeUndefined()
    const multipart = new FormData()
    multipart.set('_csrf', 'm')
    const request = new Request('http://x/', { method: 'POST', body: multipart })
    const bytes = new Uint8Array(await request.arrayBuffer())
    const type = request.headers.get('content-type') as string
    expect(tokenField(await parseTokenBody(bytes, 'multipart', type), '_csrf')).toBe('m')
    expect(tokenField({ _csrf: ['x', 'y'] }, '_csrf')).toBe('x')
    expect(tokenField(Object.create({ _csrf: 'inherited' }), '_csrf')).toBeUndefined()
  })

  it('reads bounded bodies from web and Node streams, 413 above the limit', async () => {
    const web = (text: string) => new Response(text).body
    expect(new TextDecoder().decode(await readWebBody(web('hello'), 5))).toBe('hello')
    await expect(readWebBody(web('hello!'), 5)).rejects.toBeInstanceOf(FormBodyTooLargeError)
    await expect(readWebBody(web('x'), 5, 10)).rejects.toMatchObject({ status: 413 })
    const node = (text: string) => {
      const stream = new PassThrough()
      stream.end(text)
      return stream
    }
    expect(new TextDecoder().decode(await readNodeBody(node('hello'), 5))).toBe('hello')
    await expect(readNodeBody(node('hello!'), 5)).rejects.toBeInstanceOf(FormBodyTooLargeError)
  })

  it('delivers an id header always, a Secure cookie only over HTTPS', () => {
    const engine = testEngine()
    const header = testEngine({ idFrom: { header: 'x-session-id' } })
    const plain = testEngine({ cookie: { secure: false } })
    expect(canDeliverId(engine.options, { secure: false })).toBe(false)
    expect(canDeliverId(engine.options, { secure: true })).toBe(true)
    expect(canDeliverId(header.options, { secure: false })).toBe(true)
    expect(canDeliverId(plain.options, { secure: false })).toBe(true)
  })

  it('merges Vary, maps errors to statuses, warns once, takes options or an engine', () => {
    expect(mergeVary(undefined, 'Cookie')).toBe('Cookie')
    expect(mergeVary('Accept, cookie', 'Cookie')).toBe('Accept, cookie')
    expect(mergeVary('Accept', 'Cookie')).toBe('Accept, Cookie')
    expect(mergeVary('*', 'Cookie')).toBe('*')
    expect(errorStatus(new SessionStoreError('get'))).toBe(503)
    expect(errorStatus({ statusCode: 418 })).toBe(418)
    expect(errorStatus(new Error('x'))).toBe(500)
    expect(errorStatus({ status: 200 })).toBe(500)
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    const warn = createWarnOnce()
    warn('CODE_A', 'first')
    warn('CODE_A', 'again')
    warn('CODE_B', 'other')
    expect(emit).toHaveBeenCalledTimes(2)
    emit.mockRestore()
    const engine = engineFrom({ secret: SECRET })
    expect(engineFrom(engine)).toBe(engine)
    expect(new FormBodyTooLargeError(1)).toBeInstanceOf(TesseraError)
  })
})
