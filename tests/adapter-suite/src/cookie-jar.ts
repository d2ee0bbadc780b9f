import { request as httpRequest } from 'node:http'

/**
 * A minimal browser cookie jar for tests: one value per cookie name, updated from each
 * response's `Set-Cookie` headers (an empty value or `Max-Age=0` removes the cookie), and,
 * like a browser, dropping a cookie once its `Max-Age` has passed on `now`.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>()
  /** When each cookie with a Max-Age expires, in `now()` milliseconds. */
  private readonly expiries = new Map<string, number>()
  /** How many Set-Cookie lines the jar has taken. */
  issued = 0

  /** `now`: the clock Max-Age is measured on (tests that inject a clock pass the same one). */
  constructor(private readonly now: () => number = Date.now) {}

  /** The `Cookie` request header the jar would send, or undefined when empty. */
  header(): string | undefined {
    this.dropExpired()
    if (this.cookies.size === 0) return undefined
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /**
   * Request headers for a client other than {@link send} (Hono's `app.request`, a bare
   * `fetch`): `extra`, plus the `Cookie` header when the jar holds any cookie.
   */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = this.header()
    return cookie === undefined ? { ...extra } : { cookie, ...extra }
  }

  get(name: string): string | undefined {
    this.dropExpired()
    return this.cookies.get(name)
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value)
  }

  private dropExpired(): void {
    const now = this.now()
    for (const [name, expiresAt] of this.expiries) {
      if (expiresAt > now) continue
      this.cookies.delete(name)
      this.expiries.delete(name)
    }
  }

  clear(): void {
    this.cookies.clear()
  }

  /** Applies a response's `Set-Cookie` headers; returns the response, for chaining. */
  update<R extends Response>(response: R): R {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      this.issued++
      const maxAge = attributes
        .map((attribute) => /^max-age=(\d+)$/i.exec(attribute)?.[1])
        .find((seconds) => seconds !== undefined)
      if (value.length === 0 || maxAge === '0') {
        this.cookies.delete(name)
        this.expiries.delete(name)
        continue
      }
      this.cookies.set(name, value)
      if (maxAge === undefined) this.expiries.delete(name)
      else this.expiries.set(name, this.now() + Number(maxAge) * 1000)
    }
    return response
  }

  /** A copy, for replaying an old cookie later. */
  clone(): CookieJar {
    const copy = new CookieJar(this.now)
    for (const [name, value] of this.cookies) copy.set(name, value)
    for (const [name, expiresAt] of this.expiries) copy.expiries.set(name, expiresAt)
    return copy
  }
}

export interface SendOptions {
  method?: string
  jar?: CookieJar
  headers?: Record<string, string>
  body?: string
  /** Aborts the request (`AbortSignal.timeout(ms)` bounds it in time). */
  signal?: AbortSignal
}

/**
 * One request with `redirect: 'manual'`; sends the jar's cookies and updates the jar.
 * `fetch` cannot send its own `Host` header, so a request that sets `host` (to look like it
 * came for another host name than 127.0.0.1) goes through `node:http` instead.
 */
export async function send(
  baseUrl: string,
  path: string,
  options: SendOptions = {},
): Promise<Response> {
  const headers = new Headers(options.headers)
  const cookie = options.jar?.header()
  if (cookie !== undefined && !headers.has('cookie')) headers.set('cookie', cookie)
  const url = new URL(path, baseUrl)
  const method = options.method ?? 'GET'
  const response =
    headers.has('host') && url.hostname === '127.0.0.1'
      ? await sendWithHost(url, method, headers, options)
      : await fetch(url, {
          method,
          headers,
          body: options.body,
          redirect: 'manual',
          signal: options.signal,
        })
  options.jar?.update(response)
  return response
}

function sendWithHost(
  url: URL,
  method: string,
  headers: Headers,
  { body, signal }: SendOptions,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing: Record<string, string> = {}
    headers.forEach((value, name) => {
      outgoing[name] = value
    })
    if (body !== undefined) outgoing['content-length'] = String(Buffer.byteLength(body))
    const request = httpRequest(url, { method, headers: outgoing, signal }, (incoming) => {
      const chunks: Buffer[] = []
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
      incoming.on('error', reject)
      incoming.on('end', () => {
        const responseHeaders = new Headers()
        for (const [name, value] of Object.entries(incoming.headers)) {
          for (const item of [value ?? []].flat()) responseHeaders.append(name, item)
        }
        const status = incoming.statusCode ?? 500
        const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks)
        resolve(new Response(payload, { status, headers: responseHeaders }))
      })
    })
    request.on('error', reject)
    request.end(body)
  })
}
