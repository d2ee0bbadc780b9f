import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { preparePostgres } from './postgres-table.mjs'
import { startPrivateRedis } from './redis-server.mjs'

/**
 * The stores' servers the plan needs: a private Redis (on the load generator's CPU), the
 * bench's own table on the shared PostgreSQL, a temporary directory for SQLite files.
 * A missing one is reported loudly and its stores are left out (`unavailable`, `skipped`).
 */
export async function prepareServices({ stores, cpu, postgresUrl, cleanups, log }) {
  const unavailable = new Set()
  const skipped = []
  let redis
  if (stores.has('redis')) {
    redis = await startPrivateRedis({ cpu })
    if (redis === undefined) {
      unavailable.add('redis')
      skipped.push('Redis stores (no redis-server binary: apt-get install redis-server)')
      log('!!! no redis-server binary: the Redis stores are NOT measured')
    } else {
      cleanups.push(() => redis.stop())
    }
  }
  let postgres
  if (stores.has('postgres')) {
    postgres = await preparePostgres(postgresUrl, `tessera_bench_${process.pid}`)
    if (postgres.skipped !== undefined) {
      unavailable.add('postgres')
      skipped.push(`KyselyStore PostgreSQL (${postgres.skipped})`)
      log(`!!! ${postgres.skipped}: KyselyStore PostgreSQL is NOT measured`)
      postgres = undefined
    } else {
      cleanups.push(() => postgres.drop())
    }
  }
  const sqliteDir = mkdtempSync(join(tmpdir(), 'tessera-bench-sqlite-'))
  cleanups.push(async () => rmSync(sqliteDir, { recursive: true, force: true }))
  return { redis, postgres, sqliteDir, unavailable, skipped }
}

/** The environment a server child reads (servers/common.mjs). */
export function serverEnv(services, framework, library, postgresUrl) {
  return {
    BENCH_LIB: library.lib,
    BENCH_STORE: library.store,
    REDIS_URL: services.redis?.url ?? '',
    BENCH_REDIS_PREFIX: `bench:${framework.id}:${library.id}:`,
    POSTGRES_URL: postgresUrl,
    BENCH_PG_TABLE: services.postgres?.table ?? '',
    BENCH_SQLITE_PATH: join(services.sqliteDir, `${framework.id}.db`),
  }
}
