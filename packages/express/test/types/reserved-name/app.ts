// Compiled on its own by test/types.test.ts: SessionData declares a reserved name here.
import express from 'express'
import { session } from '../../../src/index.js'

declare module '../../../src/index.js' {
  interface SessionData {
    userId: string
    views: number
  }
}

const app = express()
app.use(session({ secret: 'x'.repeat(32) }))
app.get('/', (req, res) => {
  // @ts-expect-error req.session names the mistake instead: userId is reserved
  req.session.views = 1
  const hint: 'userId' =
    req.session['rename these SessionData keys: they are reserved by the session API']
  res.send(hint)
})
