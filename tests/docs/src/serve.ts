import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'

/** An example app listening on 127.0.0.1. */
export interface Served {
  /** `http://127.0.0.1:<port>` */
  url: string
  close(): Promise<void>
}

/** Serves a Node request listener (an Express app, a Koa app's `callback()`) on 127.0.0.1. */
export function listen(listener: RequestListener): Promise<Served> {
  const server = createServer(listener)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

/** Serves a fetch handler (a Hono app's `fetch`) on 127.0.0.1 through @hono/node-server. */
export function listenFetch(fetch: (request: Request) => Response | Promise<Response>) {
  return listen(getRequestListener(fetch))
}

/** The value of the hidden `_csrf` field of a page, as the examples' forms carry it. */
export function csrfTokenOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error(`no _csrf field in the page:\n${html}`)
  return token
}

/** A urlencoded form body. */
export const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
})
