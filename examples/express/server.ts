// Serves the Express getting-started app (app.ts): `npx tsx server.ts`.
// #region server
import { app } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const server = app.listen(port, process.env.HOST ?? 'localhost', () => {
  console.log(`Open http://localhost:${port}`) // plain HTTP is fine on localhost only
})

// #endregion server

export { server }
