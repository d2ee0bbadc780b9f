// MigratingStore: moving from files to Redis with nobody signed out (the core README's
// "Composing stores"). SESSIONS_DIR is the directory the FileStore used; REDIS_URL the server.
// #region migrating-store
import { createSessionEngine, MigratingStore } from '@tessera/core'
import { FileStore } from '@tessera/file'
import { RedisStore } from '@tessera/redis'
import { Redis } from 'ioredis'

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  maxRetriesPerRequest: 1,
})
redis.on('error', (error) => console.warn('redis:', error.message))

const store = new MigratingStore({
  // Where the sessions are today, configured as it was, so it finds them.
  from: new FileStore({ dir: process.env.SESSIONS_DIR ?? './sessions' }),
  // Where they go: each one moves on its next request, and every write goes here.
  to: new RedisStore({ client: redis, prefix: 'myapp:' }),
})
const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })

// Deploy this to every instance at once: an old instance would still write files. Once the
// directory holds no session (each moved or expired: after the absolute timeout at the
// latest), configure the RedisStore alone and delete the directory.
// #endregion migrating-store

export { engine, redis, store }
