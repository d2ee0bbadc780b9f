import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DemoDatabase } from './demo-database.js'

const SETTING = 'session_secret'

/**
 * The secret that signs session cookies: `SESSION_SECRET` when set, else one generated on the
 * first start (256 bits) and kept in the demo database, so cookies stay valid across
 * restarts without a secret in the code.
 */
export async function resolveSessionSecret(
  db: Kysely<DemoDatabase>,
  fromEnv: string | undefined,
): Promise<{ secret: string; source: 'SESSION_SECRET' | 'database' }> {
  if (fromEnv !== undefined) return { secret: fromEnv, source: 'SESSION_SECRET' }
  await db
    .insertInto('demo_settings')
    .values({ name: SETTING, value: randomBytes(32).toString('base64url') })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute()
  // Read back rather than trust the insert: another process may have won the race.
  const row = await db
    .selectFrom('demo_settings')
    .select('value')
    .where('name', '=', SETTING)
    .executeTakeFirstOrThrow()
  return { secret: row.value, source: 'database' }
}
