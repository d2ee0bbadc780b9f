import { session } from '@tessera/hono'
import { Hono } from 'hono'
import type { AppSession } from './quick-start.js'
import './context-variable-map.js'

// No Env type parameter: the ContextVariableMap augmentation types `c.get('session')`.
const app = new Hono()
app.use(session<AppSession>({ secret: process.env.SESSION_SECRET! }))
app.get('/', (c) => c.text(String(c.get('session').update('views', (n) => (n ?? 0) + 1))))

export { app }
