// What every benchmark server shares: its configuration from the environment, the secret,
// the routes' session operations per library, and the "ready" line the runner waits for.

/** 32+ characters, as Tessera requires; the incumbents use it too. */
export const SECRET = 'bench-secret-bench-secret-bench-secret-0123'
export const ONE_DAY_MS = 86_400_000

/**
 * The server's configuration, set by the runner (lib/server-process.mjs):
 * BENCH_LIB     bare | tessera | express-session | koa-session | hono-sessions
 * BENCH_STORE   memory | redis | sqlite | postgres | cookie
 * REDIS_URL, BENCH_REDIS_PREFIX, POSTGRES_URL, BENCH_PG_TABLE, BENCH_SQLITE_PATH
 */
export function serverConfig() {
  const env = process.env
  return {
    lib: env.BENCH_LIB ?? 'bare',
    store: env.BENCH_STORE ?? 'memory',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: env.BENCH_REDIS_PREFIX ?? 'tessera-bench:',
    postgresUrl: env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    postgresTable: env.BENCH_PG_TABLE ?? 'tessera_bench_sessions',
    sqlitePath: env.BENCH_SQLITE_PATH ?? ':memory:',
  }
}

/** The item number of `/append?i=N`. */
export function itemOf(url) {
  const at = url.indexOf('i=')
  return at < 0 ? -1 : Number.parseInt(url.slice(at + 2), 10)
}

/**
 * What the routes do with the session, written the way each library is meant to be used:
 * Tessera through its Session API (`get`, and `update` for read-modify-write, which is what
 * keeps concurrent changes); express-session and koa-session by property access;
 * hono-sessions by `get`/`set`. `bare` has no session and answers the same bodies.
 */
export function sessionOps(lib) {
  if (lib === 'tessera') {
    return {
      views: (s) => s.get('views') ?? 0,
      hit: (s) => s.update('views', (n = 0) => n + 1),
      append: (s, item) => s.update('items', (items = []) => [...items, item]).length,
      items: (s) => s.get('items') ?? [],
    }
  }
  if (lib === 'hono-sessions') {
    return {
      views: (s) => s.get('views') ?? 0,
      hit: (s) => {
        const views = (s.get('views') ?? 0) + 1
        s.set('views', views)
        return views
      },
      append: (s, item) => {
        const items = [...(s.get('items') ?? []), item]
        s.set('items', items)
        return items.length
      },
      items: (s) => s.get('items') ?? [],
    }
  }
  if (lib === 'bare') {
    let views = 0
    return {
      views: () => views,
      hit: () => ++views,
      append: () => 0,
      items: () => [],
    }
  }
  return {
    views: (s) => s.views ?? 0,
    hit: (s) => {
      s.views = (s.views ?? 0) + 1
      return s.views
    },
    append: (s, item) => {
      s.items = [...(s.items ?? []), item]
      return s.items.length
    },
    items: (s) => s.items ?? [],
  }
}

/** Tells the runner the port, then closes `resources` on SIGTERM before exiting. */
export function announceReady(port, resources = []) {
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`)
  process.once('SIGTERM', async () => {
    for (const close of resources) await Promise.resolve(close()).catch(() => {})
    process.exit(0)
  })
}
