import { Hono } from 'hono'
import { describe, expectTypeOf, it } from 'vitest'
import {
  csrf,
  type Session,
  type SessionEnv,
  type SessionVariables,
  session,
} from '../src/index.js'

interface Data {
  views: number
  cart: string[]
}

describe('types (checked by tsc)', () => {
  it('types c.get("session") and c.var.session through SessionEnv', () => {
    const app = new Hono<SessionEnv<Data>>()
    app.use(session<Data>({ secret: 'x'.repeat(32) }))
    app.use(csrf())
    app.get('/', (c) => {
      expectTypeOf(c.get('session')).toEqualTypeOf<Session<Data>>()
      expectTypeOf(c.var.session.get('views')).toEqualTypeOf<number | undefined>()
      // @ts-expect-error views is a number
      c.var.session.set('views', 'one')
      // @ts-expect-error not a key of Data
      c.var.session.get('nope')
      return c.text('ok')
    })
  })

  it('combines with other variables and bindings', () => {
    type Env = {
      Variables: SessionVariables<Data> & { requestId: string }
      Bindings: { KV: string }
    }
    const app = new Hono<Env>()
    app.use(session<Data>({ secret: 'x'.repeat(32) }))
    app.get('/', (c) => {
      expectTypeOf(c.var.requestId).toEqualTypeOf<string>()
      expectTypeOf(c.var.session).toEqualTypeOf<Session<Data>>()
      expectTypeOf(c.env.KV).toEqualTypeOf<string>()
      return c.text('ok')
    })
  })

  it('types an untyped app through the middleware chain', () => {
    new Hono().use(session<Data>({ secret: 'x'.repeat(32) })).get('/', (c) => {
      expectTypeOf(c.var.session.get('cart')).toEqualTypeOf<string[] | undefined>()
      return c.text('ok')
    })
  })
})
