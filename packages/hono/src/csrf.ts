import { CsrfTokenError } from '@tessera/core'
import type { Context, Env, MiddlewareHandler } from 'hono'
import type { CsrfOptions } from './csrf-options.js'
import { withResponse } from './error-response.js'
import { requestSessionOf } from './session-middleware.js'

const DEFAULT_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE']

/**
 * Synchronizer-token CSRF protection; mount it after {@link session}. Requests with an unsafe
 * method must carry `c.var.session.csrfToken()` in the `x-csrf-token` header or the `_csrf`
 * field of a urlencoded, multipart or JSON body, else a `CsrfTokenError` (403) is thrown.
 *
 * The body is read from a copy of the request (at most `bodyLimit` bytes), so handlers can
 * still read it with `c.req.parseBody()`, `c.req.json()` or a validator.
 */
export function csrf<E extends Env = Env>(options: CsrfOptions = {}): MiddlewareHandler<E> {
  const header = options.header ?? 'x-csrf-token'
  const field = options.field ?? '_csrf'
  const methods = new Set((options.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase()))
  const bodyLimit = options.bodyLimit ?? 100 * 1024
  return async (c, next) => {
    if (!methods.has(c.req.method)) return next()
    const rs = requestSessionOf(c as unknown as Context)
    if (!rs) {
      throw new Error('csrf() needs the session: mount session() from @tessera/hono before csrf().')
    }
    const token =
      c.req.header(header) || (await bodyToken(c as unknown as Context, field, bodyLimit))
    if (!rs.session.verifyCsrfToken(token)) throw withResponse(new CsrfTokenError())
    return next()
  }
}

async function bodyToken(c: Context, field: string, limit: number): Promise<string | undefined> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const kind =
    type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data'
      ? 'form'
      : type === 'application/json' || type.endsWith('+json')
        ? 'json'
        : null
  if (kind === null) return undefined
  try {
    const request = c.req.raw
    if (request.bodyUsed) {
      // An earlier handler read it through HonoRequest, which caches parsed bodies.
      const body: unknown = kind === 'json' ? await c.req.json() : await c.req.parseBody()
      return fieldOf(body, field)
    }
    const declared = Number(c.req.header('content-length'))
    if (Number.isFinite(declared) && declared > limit) return undefined
    const bytes = await readBounded(request.clone(), limit)
    if (bytes === null) return undefined
    const copy = new Response(bytes, {
      headers: { 'content-type': c.req.header('content-type') ?? '' },
    })
    const body: unknown =
      kind === 'json' ? await copy.json() : Object.fromEntries(await copy.formData())
    return fieldOf(body, field)
  } catch {
    return undefined
  }
}

function fieldOf(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const value = (body as Record<string, unknown>)[field]
  return typeof value === 'string' ? value : undefined
}

/** The body's bytes, or null once it passes `limit` (the rest is not read). */
async function readBounded(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      // Not awaited: cancelling one branch of a tee'd body settles only once both are.
      reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
