import {
  addToCartForm,
  cartLines,
  cartPage,
  type Demo,
  field,
  removeFromCartForm,
} from '@tessera/demo-kit'
import { Hono } from 'hono'
import { type AppEnv, formOf, page, pageContext, sendOutcome } from '../env.js'

/** The shopping cart. Every change goes through `update('cart', fn)`, safe under concurrency. */
export function cartRoutes(demo: Demo) {
  return new Hono<AppEnv>()
    .get('/', (c) =>
      page(c, cartPage(pageContext(c, demo), { lines: cartLines(c.var.session.get('cart')) })),
    )
    .post('/add', async (c) =>
      sendOutcome(c, addToCartForm(c.var.session, field(await formOf(c), 'item'))),
    )
    .post('/remove', async (c) =>
      sendOutcome(c, removeFromCartForm(c.var.session, field(await formOf(c), 'item'))),
    )
}
