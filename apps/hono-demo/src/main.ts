import type { Server } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAdaptorServer } from '@hono/node-server'
import { runDemo } from '@tessera/demo-kit'
import { createApp } from './app.js'

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..')
await runDemo(
  { framework: 'Hono', appDir },
  // @hono/node-server's ServerType also covers HTTP/2 servers; without options it is http's.
  (demo) => createAdaptorServer({ fetch: createApp(demo).fetch }) as Server,
)
