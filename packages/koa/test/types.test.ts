import Koa from 'koa'
import { describe, expectTypeOf, it } from 'vitest'
import { csrf, type KoaSession, type Session, session } from '../src/index.js'

interface Data {
  views: number
  cart: string[]
}

describe('types (checked by tsc)', () => {
  it('types ctx.session through the generic on a chained app', () => {
    const app = new Koa().use(session<Data>({ secret: 'x'.repeat(32) }))
    app.use(csrf())
    app.use(async (ctx) => {
      expectTypeOf(ctx.session).toEqualTypeOf<KoaSession<Data>>()
      expectTypeOf(ctx.session.views).toEqualTypeOf<number | undefined>()
      expectTypeOf(ctx.session.get('cart')).toEqualTypeOf<string[] | undefined>()
      expectTypeOf(ctx.session).toMatchTypeOf<Session<Data>>()
      expectTypeOf(ctx.session.regenerate).returns.resolves.toBeVoid()
      ctx.session.views = 1
      ctx.session.cart?.push('x')
      delete ctx.session.views
      ctx.session = null
      ctx.session = { views: 2 }
      // @ts-expect-error views is a number
      ctx.session.views = 'one'
      // @ts-expect-error not a key of Data
      ctx.session.get('nope')
      // @ts-expect-error members are read-only or methods
      ctx.session.id = 'x'
      // @ts-expect-error only null or data
      ctx.session = 5
    })
  })

  it('untyped sessions hold unknown values', () => {
    new Koa().use(session({ secret: 'x'.repeat(32) })).use((ctx) => {
      expectTypeOf(ctx.session.anything).toEqualTypeOf<unknown>()
      expectTypeOf(ctx.session.id).toEqualTypeOf<string>()
    })
  })
})
