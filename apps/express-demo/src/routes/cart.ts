import {
  addToCartForm,
  cartLines,
  cartPage,
  type Demo,
  field,
  removeFromCartForm,
} from '@tessera/demo-kit'
import { Router } from 'express'
import { pageContext, sendOutcome, sendPage } from '../render.js'

/** The shopping cart. Every change goes through `update('cart', fn)`, safe under concurrency. */
export function cartRoutes(demo: Demo): Router {
  const router = Router()

  router.get('/cart', (req, res) => {
    sendPage(res, cartPage(pageContext(req, demo), { lines: cartLines(req.session.cart) }))
  })

  router.post('/cart/add', (req, res) => {
    sendOutcome(req, res, addToCartForm(req.session, field(req.body, 'item')))
  })

  router.post('/cart/remove', (req, res) => {
    sendOutcome(req, res, removeFromCartForm(req.session, field(req.body, 'item')))
  })

  return router
}
