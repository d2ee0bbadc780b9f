import Router from '@koa/router'
import {
  addToCartForm,
  cartLines,
  cartPage,
  type Demo,
  field,
  removeFromCartForm,
} from '@tessera/demo-kit'
import { formOf, pageContext, sendOutcome, sendPage } from '../context.js'

/** The shopping cart. Every change goes through `update('cart', fn)`, safe under concurrency. */
export function cartRoutes(demo: Demo): Router {
  const router = new Router({ prefix: '/cart' })

  router.get('/', (ctx) => {
    sendPage(ctx, cartPage(pageContext(ctx, demo), { lines: cartLines(ctx.session.cart) }))
  })

  router.post('/add', (ctx) => {
    sendOutcome(ctx, addToCartForm(ctx.session, field(formOf(ctx), 'item')))
  })

  router.post('/remove', (ctx) => {
    sendOutcome(ctx, removeFromCartForm(ctx.session, field(formOf(ctx), 'item')))
  })

  return router
}
