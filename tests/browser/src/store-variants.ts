import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  requireMysql,
  requirePostgres,
  requireRedis,
  type ServiceHandle,
} from '@tessera/test-support'

/**
 * A session store the Express demo is run against: the environment that selects it (its own
 * key prefix, table or folder on the shared servers), a count of the records it holds (to
 * prove the sessions really went there), and the clean-up.
 */
export interface StoreVariant {
  /** For artifact folders: `redis`, `postgres`, `mariadb`, `file`. */
  id: string
  /** How the demo's start-up line names the store: `Sessions: <label> (…)`. */
  label: string
  env: Record<string, string>
  records(): Promise<number>
  cleanup(): Promise<void>
}

const suffix = () => randomBytes(4).toString('hex')

export async function redisVariant(): Promise<StoreVariant | null> {
  const service = await requireRedis()
  if (!service) return null
  const { Redis } = await import('ioredis')
  const client = new Redis(service.url, { maxRetriesPerRequest: 1 })
  const prefix = `tessera-browser-${suffix()}:`
  const keys = async () => {
    const found: string[] = []
    for await (const batch of client.scanStream({ match: `${prefix}*`, count: 500 })) {
      found.push(...(batch as string[]))
    }
    return found
  }
  return {
    id: 'redis',
    label: 'Redis',
    env: { SESSION_STORE: service.url, SESSION_PREFIX: prefix },
    records: async () => (await keys()).filter((key) => key.startsWith(`${prefix}sess:`)).length,
    async cleanup() {
      const found = await keys()
      if (found.length > 0) await client.del(...found)
      await client.quit()
      await service.stop()
    },
  }
}

export async function postgresVariant(): Promise<StoreVariant | null> {
  const service = await requirePostgres()
  if (!service) return null
  const { default: pg } = await import('pg')
  const table = `browser_sessions_${suffix()}`
  const query = async (text: string) => {
    const client = new pg.Client({ connectionString: service.url })
    await client.connect()
    try {
      return await client.query(text)
    } finally {
      await client.end()
    }
  }
  return {
    id: 'postgres',
    label: 'PostgreSQL',
    env: { SESSION_STORE: service.url, SESSION_TABLE: table },
    records: async () => Number((await query(`select count(*) as n from ${table}`)).rows[0].n),
    async cleanup() {
      await query(`drop table if exists ${table}`)
      await service.stop()
    },
  }
}

export async function mariadbVariant(): Promise<StoreVariant | null> {
  const service: ServiceHandle | null = await requireMysql()
  if (!service) return null
  const { createConnection } = await import('mysql2/promise')
  const table = `browser_sessions_${suffix()}`
  const query = async (text: string) => {
    const connection = await createConnection({ uri: service.url })
    try {
      const [rows] = await connection.query(text)
      return rows as Array<Record<string, unknown>>
    } finally {
      await connection.end()
    }
  }
  return {
    id: 'mariadb',
    label: 'MySQL/MariaDB',
    env: { SESSION_STORE: service.url, SESSION_TABLE: table },
    records: async () => Number((await query(`select count(*) as n from ${table}`))[0]?.n),
    async cleanup() {
      await query(`drop table if exists ${table}`)
      await service.stop()
    },
  }
}

export function fileVariant(): StoreVariant {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-browser-files-'))
  return {
    id: 'file',
    label: 'files',
    env: { SESSION_STORE: `file:${join(dir, 'sessions')}` },
    records: async () => {
      const sessions = join(dir, 'sessions')
      return existsSync(sessions)
        ? readdirSync(sessions).filter((name) => name.startsWith('sess.')).length
        : 0
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
