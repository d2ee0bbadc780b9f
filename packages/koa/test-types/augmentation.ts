// Compile-only: app-wide typing of ctx.session by module augmentation (tsc -p test-types).
import Koa from 'koa'
import { type SessionContext, session } from '../src/index.js'

interface AppSession {
  views: number
  theme: 'light' | 'dark'
}

declare module 'koa' {
  interface DefaultContext extends SessionContext<AppSession> {}
}

const app = new Koa()
app.use(session<AppSession>({ secret: 'x'.repeat(32) }))

// A middleware written apart from the app, as routers' handlers are.
export function themed(ctx: Koa.Context): string {
  const views: number | undefined = ctx.session.views
  ctx.session.theme = 'dark'
  // @ts-expect-error not a theme
  ctx.session.theme = 'blue'
  ctx.session = null
  return `${views ?? 0} ${ctx.session.get('theme') ?? 'light'}`
}

app.use((ctx) => {
  ctx.body = themed(ctx)
})
