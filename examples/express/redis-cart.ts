// The root README's example: an Express cart on Redis.
// #region redis-cart
import { session } from '@tessera/express'
import { RedisStore } from '@tessera/redis'
import express from 'express'
import { Redis } from 'ioredis'

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
const app = express()
app.use(express.urlencoded({ extended: false }))
app.use(
  session({
    secret: [process.env.SESSION_SECRET!], // newest first; old secrets keep verifying
    store: new RedisStore({ client: redis }),
    idleTimeout: '30m',
    absoluteTimeout: '7d',
  }),
)
app.post('/cart', (req, res) => {
  // Concurrent requests appending to the cart all survive.
  req.session.update('cart', (cart = []) => [...cart, String(req.body.item)])
  res.redirect('/cart')
})
app.get('/cart', (req, res) => {
  res.json(req.session.cart ?? [])
})

// #endregion redis-cart

export { app, redis }
