/**
 * A minimal browser cookie jar for tests: one value per cookie name, updated from each
 * response's `Set-Cookie` headers (an empty value or `Max-Age=0` removes the cookie).
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>()

  /** The `Cookie` request header the jar would send, or undefined when empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value)
  }

  clear(): void {
    this.cookies.clear()
  }

  /** Applies a response's `Set-Cookie` headers. */
  update(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      const expired = attributes.some((attribute) => /^max-age=0$/i.test(attribute))
      if (value.length === 0 || expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  /** A copy, for replaying an old cookie later. */
  clone(): CookieJar {
    const copy = new CookieJar()
    for (const [name, value] of this.cookies) copy.set(name, value)
    return copy
  }
}

export interface SendOptions {
  method?: string
  jar?: CookieJar
  headers?: Record<string, string>
  body?: string
}

/** One request with `redirect: 'manual'`; sends the jar's cookies and updates the jar. */
export async function send(
  baseUrl: string,
  path: string,
  options: SendOptions = {},
): Promise<Response> {
  const headers = new Headers(options.headers)
  const cookie = options.jar?.header()
  if (cookie !== undefined && !headers.has('cookie')) headers.set('cookie', cookie)
  const response = await fetch(new URL(path, baseUrl), {
    method: options.method ?? 'GET',
    headers,
    body: options.body,
    redirect: 'manual',
  })
  options.jar?.update(response)
  return response
}
