import { createServer } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runDemo } from '@tessera/demo-kit'
import { createApp } from './app.js'

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..')
await runDemo({ framework: 'Koa', appDir }, (demo) => createServer(createApp(demo).callback()))
