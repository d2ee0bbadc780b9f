/**
 * express-session stores (connect-redis, connect-mongo, connect-pg-simple, ...) have a
 * callback API, `get(sid, callback)`, and inherit `createSession`/`load`/`regenerate` from
 * express-session's `Store`. Passed to Tessera they would answer every write with an error;
 * this names what to use instead, so the mistake fails at start-up.
 */
export function callbackStoreHint(store: object): string | undefined {
  const methods = store as Record<string, unknown>
  const inheritsExpressStore = ['createSession', 'load', 'regenerate'].every(
    (name) => typeof methods[name] === 'function',
  )
  // Stores that do not extend express-session's Store: an EventEmitter with get(sid, cb).
  const get = methods.get
  const callbackStyle =
    typeof get === 'function' && get.length >= 2 && typeof methods.on === 'function'
  if (!inheritsExpressStore && !callbackStyle) return undefined
  const name = store.constructor?.name ?? 'Store'
  return `this looks like an express-session store (${name}, with a callback API); Tessera's stores are promise-based and hash ids at rest. Use ${replacementFor(name)} instead — to keep the sessions it holds, see "Migrating from express-session" in @tessera/express.`
}

/** The Tessera store that replaces an express-session store, from its class name. */
function replacementFor(name: string): string {
  const lower = name.toLowerCase()
  if (lower.includes('redis')) return 'RedisStore from @tessera/redis'
  if (lower.includes('mongo')) return 'MongoStore from @tessera/mongodb'
  if (lower.includes('file')) return 'FileStore from @tessera/file'
  if (/pg|postgres|sequelize|knex|mysql|sqlite|sql|typeorm|prisma/.test(lower)) {
    return 'KyselyStore from @tessera/kysely'
  }
  if (lower === 'memorystore')
    return "the default MemoryStore (omit `store`, or MemoryStore from '@tessera/core')"
  return 'a Tessera store (RedisStore, KyselyStore, MongoStore, FileStore or MemoryStore)'
}
