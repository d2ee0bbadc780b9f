// Serves the Hono getting-started app (app.ts) on Node: `npx tsx server.ts`.
// #region server
import { serve } from '@hono/node-server'
import { app } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? 'localhost' }, () => {
  console.log(`Open http://localhost:${port}`) // plain HTTP is fine on localhost only
})

// #endregion server

export { server }
