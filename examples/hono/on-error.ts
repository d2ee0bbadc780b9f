// The Hono README's error handler, in an app whose routes fail each way it handles.
// #region on-error
import { CsrfTokenError, csrf, SessionStoreError, session } from '@tessera/hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'

const app = new Hono()
app.use(session({ secret: process.env.SESSION_SECRET! }))
app.use(csrf())

app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse()
  if (err instanceof SessionStoreError) return c.text('Please try again shortly', 503)
  if (err instanceof CsrfTokenError) return c.text('Form expired, reload the page', 403)
  return c.text('Internal Server Error', 500)
})
// #endregion on-error

app.post('/form', (c) => c.text('Saved.'))
app.get('/private', () => {
  throw new HTTPException(401, { message: 'Sign in first' })
})
app.get('/store-down', () => {
  throw new SessionStoreError('get', { cause: new Error('connection refused') })
})
app.get('/bug', () => {
  throw new Error('a bug')
})

export { app }
