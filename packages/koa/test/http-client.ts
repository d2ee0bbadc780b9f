/** A tiny cookie-keeping client for one session over real HTTP. */
export class Client {
  cookie: string | undefined

  constructor(
    readonly baseUrl: string,
    readonly cookieName = 'tessera.sid',
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookie && !headers.has('cookie')) headers.set('cookie', this.cookie)
    const response = await fetch(new URL(path, this.baseUrl), {
      redirect: 'manual',
      ...init,
      headers,
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';') as [string]
      if (!pair.startsWith(`${this.cookieName}=`)) continue
      this.cookie = /max-age=0/i.test(line) ? undefined : pair
    }
    return response
  }

  async json<T = Record<string, unknown>>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.request(path, init)
    return (await response.json()) as T
  }
}
