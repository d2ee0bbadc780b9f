import { connect } from 'node:net'
import { type CookieJar, send } from '@tessera/adapter-suite'
import { securityRoutes } from './security-routes.js'
import { COOKIE_NAME } from './session-cookies.js'

/** What `/read` answers. */
export interface SessionView {
  userId: string | null
  data: Record<string, unknown>
}

export interface Exchange<Body = unknown> {
  response: Response
  status: number
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: Body
  text: string
}

export interface ExchangeOptions {
  method?: string
  jar?: CookieJar
  /** A raw session cookie value to send instead of a jar (a replayed or forged cookie). */
  cookie?: string
  headers?: Record<string, string>
  body?: string
}

/** One request through the shared suite's `send` (manual redirects), body read and parsed. */
export async function exchange<Body = unknown>(
  baseUrl: string,
  path: string,
  options: ExchangeOptions = {},
): Promise<Exchange<Body>> {
  const headers = { ...options.headers }
  if (options.cookie !== undefined) headers.cookie = `${COOKIE_NAME}=${options.cookie}`
  const response = await send(baseUrl, path, {
    method: options.method ?? defaultMethod(path),
    headers,
    ...(options.jar ? { jar: options.jar } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return { response, status: response.status, body: body as Body, text }
}

/** The method the security route at `path` answers (`GET` for `ALL` routes). */
function defaultMethod(path: string): string {
  const pathname = path.split('?')[0]
  const route = securityRoutes.find((candidate) => candidate.path === pathname)
  return route?.method === 'POST' ? 'POST' : 'GET'
}

/** `GET /read` with a jar or a raw cookie value; fails the test on anything but a 200. */
export async function readSession(
  baseUrl: string,
  options: Omit<ExchangeOptions, 'method'> = {},
): Promise<SessionView & { response: Response }> {
  const result = await exchange<SessionView>(baseUrl, '/read', { ...options, method: 'GET' })
  if (result.status !== 200) {
    throw new Error(`GET /read answered ${result.status}: ${result.text.slice(0, 200)}`)
  }
  return { ...result.body, response: result.response }
}

/** The session cookie value a jar holds; fails the test when it holds none. */
export function cookieOf(jar: CookieJar, name = COOKIE_NAME): string {
  const value = jar.get(name)
  if (!value) throw new Error(`the jar holds no ${name} cookie`)
  return value
}

/** True when `/read` with this cookie shows no session at all: nobody signed in, no data. */
export async function isFreshSession(
  baseUrl: string,
  options: Omit<ExchangeOptions, 'method'>,
): Promise<boolean> {
  const view = await readSession(baseUrl, options)
  return view.userId === null && Object.keys(view.data).length === 0
}

/** A response read off a raw socket: for bytes `fetch` refuses to send (NUL, CR, LF, >0x7F). */
export interface RawResponse {
  /** Null when the server closed the connection without answering. */
  status: number | null
  head: string
  body: string
}

/**
 * Sends `request` (a complete HTTP/1.1 request, `Connection: close`) as bytes and reads the
 * answer until the server closes the connection or `timeoutMs` passes.
 */
export function rawRequest(port: number, request: Buffer, timeoutMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => {
      // A reset after the answer is the server closing: the answer (if any) is what counts.
    })
    socket.on('close', () => {
      clearTimeout(timer)
      const raw = Buffer.concat(chunks).toString('latin1')
      const split = raw.indexOf('\r\n\r\n')
      const head = split < 0 ? raw : raw.slice(0, split)
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]
      resolve({
        status: status === undefined ? null : Number(status),
        head,
        body: split < 0 ? '' : raw.slice(split + 4),
      })
    })
    socket.write(request)
  })
}
