// Compiled on its own by test/types.test.ts: SessionData is augmented here and nowhere else.
import express from 'express'
import { session } from '../../../src/index.js'

declare module '../../../src/index.js' {
  interface SessionData {
    views: number
    cart: string[]
  }
}

const app = express()
app.use(session({ secret: 'x'.repeat(32) }))
app.get('/', async (req, res) => {
  req.session.views = (req.session.views ?? 0) + 1
  const cart: string[] | undefined = req.session.get('cart')
  req.session.update('cart', (current) => [...(current ?? []), 'apple'])
  // @ts-expect-error views is a number
  req.session.views = 'one'
  // @ts-expect-error not a declared key: get() is as strict as property access
  req.session.get('nope')
  // @ts-expect-error not a declared key
  req.session.nope = 1
  // @ts-expect-error userId is the session API's (read-only): sign in with login()
  req.session.userId = 'ada'
  // @ts-expect-error id is the session API's
  req.session.id = 'x'
  await req.session.login('ada')
  await req.session.regenerate({ keepData: true })
  req.session.regenerate((error) => error)
  req.session.cookie.maxAge = 60_000
  req.session.cookie.sameSite = true
  res.json({ cart, id: req.sessionID })
})
