// The Koa README's quick start.
// #region quick-start
import { csrf, session } from '@tessera/koa'
import Koa from 'koa'

interface AppSession {
  views: number
  cart: string[]
}

const app = new Koa()
  .use(session<AppSession>({ secret: process.env.SESSION_SECRET! }))
  .use(csrf())
  .use(async (ctx) => {
    ctx.session.views = (ctx.session.views ?? 0) + 1 // property access, like koa-session
    ctx.session.cart ??= []
    ctx.session.cart.push('apple') // nested mutation is saved
    if (ctx.path === '/login') await ctx.session.login('user-42') // new id, old record deleted
    if (ctx.path === '/logout') ctx.session = null // destroys the record, clears the cookie
    ctx.body = { views: ctx.session.views }
  })

// #endregion quick-start

export type { AppSession }
export { app }
