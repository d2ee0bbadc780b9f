// Hono on an edge runtime (Cloudflare Workers): CookieStore, the secret from a binding.
// #region edge
import { CookieStore } from '@tessera/core'
import { type SessionEnv, session } from '@tessera/hono'
import { Hono } from 'hono'
import type { AppSession } from './quick-start.js'

type Bindings = { SESSION_SECRET: string }

function createApp(secret: string) {
  const app = new Hono<SessionEnv<AppSession>>()
  // The session lives sealed in the cookie: no store to reach from the edge.
  app.use(session<AppSession>({ secret, store: new CookieStore() }))
  app.get('/', (c) => c.text(`${c.var.session.update('views', (n) => (n ?? 0) + 1)} views`))
  return app
}

let app: ReturnType<typeof createApp> | undefined
export default {
  // Workers hand the bindings to each request: build the app (and its engine) once.
  fetch(request: Request, env: Bindings): Response | Promise<Response> {
    app ??= createApp(env.SESSION_SECRET)
    return app.fetch(request, env)
  },
}
// #endregion edge
