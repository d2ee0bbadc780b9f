/** Keeps the session cookie between `app.request()` calls, as a browser would. */
export class CookieJar {
  cookie: string | undefined

  constructor(readonly name = 'tessera.sid') {}

  /** Headers for the next request. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.cookie ? { cookie: this.cookie, ...extra } : extra
  }

  /** Takes the session cookie from a response. */
  take(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';') as [string]
      if (!pair.startsWith(`${this.name}=`)) continue
      this.cookie = /max-age=0/i.test(line) ? undefined : pair
    }
    return response
  }
}
