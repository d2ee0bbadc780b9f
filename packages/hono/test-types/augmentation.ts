// Compile-only: app-wide typing of c.get('session') through Hono's ContextVariableMap.
import { Hono } from 'hono'
import { type Session, session } from '../src/index.js'

interface AppSession {
  views: number
}

declare module 'hono' {
  interface ContextVariableMap {
    session: Session<AppSession>
  }
}

const app = new Hono()
app.use(session<AppSession>({ secret: 'x'.repeat(32) }))
app.get('/', (c) => {
  const views: number | undefined = c.get('session').get('views')
  // @ts-expect-error views is a number
  c.get('session').set('views', 'many')
  return c.text(String(views ?? 0))
})
