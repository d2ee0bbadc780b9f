import { TesseraError } from '@tessera/core'
import type { Kysely } from 'kysely'
import type { DemoDatabase, Role } from './demo-database.js'
import { hashPassword, randomPassword, verifyPassword } from './passwords.js'

/** A demo account, without its password hash. */
export interface DemoUser {
  /** The id sessions are indexed under (`session.login(user.id)`). */
  id: string
  username: string
  role: Role
  createdAt: number
}

/** The username is already registered. */
export class UsernameTakenError extends TesseraError<'USERNAME_TAKEN'> {
  readonly username: string
  constructor(username: string) {
    super('USERNAME_TAKEN', `The username ${username} is taken; choose another.`, { status: 409 })
    this.username = username
  }
}

/**
 * The demo's accounts, in the `demo_users` table of the SQLite file, through Kysely. Passwords
 * are kept as Argon2id hashes (see `passwords.ts`).
 *
 * @example
 * ```ts
 * const users = new UserRepository(db)
 * const ada = await users.create({ username: 'ada', password: 'correct horse', role: 'user' })
 * await users.authenticate('ada', 'correct horse') // ada
 * ```
 */
export class UserRepository {
  /** Verified when the username is unknown, so a wrong username costs as long as a wrong password. */
  #decoy: Promise<string> | undefined

  constructor(private readonly db: Kysely<DemoDatabase>) {}

  async create(input: { username: string; password: string; role: Role }): Promise<DemoUser> {
    const passwordHash = await hashPassword(input.password)
    const row = await this.db
      .insertInto('demo_users')
      .values({
        username: input.username,
        password_hash: passwordHash,
        role: input.role,
        created_at: Date.now(),
      })
      .onConflict((conflict) => conflict.column('username').doNothing())
      .returning(['id', 'username', 'role', 'created_at'])
      .executeTakeFirst()
    if (!row) throw new UsernameTakenError(input.username)
    return toUser(row)
  }

  async findById(id: string): Promise<DemoUser | null> {
    if (!/^\d{1,15}$/.test(id)) return null
    const row = await this.db
      .selectFrom('demo_users')
      .select(['id', 'username', 'role', 'created_at'])
      .where('id', '=', Number(id))
      .executeTakeFirst()
    return row ? toUser(row) : null
  }

  async findByUsername(username: string): Promise<DemoUser | null> {
    const row = await this.db
      .selectFrom('demo_users')
      .select(['id', 'username', 'role', 'created_at'])
      .where('username', '=', username)
      .executeTakeFirst()
    return row ? toUser(row) : null
  }

  /** Every account, oldest first. */
  async list(): Promise<DemoUser[]> {
    const rows = await this.db
      .selectFrom('demo_users')
      .select(['id', 'username', 'role', 'created_at'])
      .orderBy('id')
      .execute()
    return rows.map(toUser)
  }

  /** The account whose username and password these are, or null. */
  async authenticate(username: string, password: string): Promise<DemoUser | null> {
    const row = await this.db
      .selectFrom('demo_users')
      .select(['id', 'username', 'role', 'created_at', 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirst()
    if (!row) {
      this.#decoy ??= hashPassword(randomPassword())
      await verifyPassword(await this.#decoy, password)
      return null
    }
    return (await verifyPassword(row.password_hash, password)) ? toUser(row) : null
  }

  /** True when `password` is the account's current password. */
  async checkPassword(id: string, password: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('demo_users')
      .select('password_hash')
      .where('id', '=', Number(id))
      .executeTakeFirst()
    return row ? verifyPassword(row.password_hash, password) : false
  }

  async setPassword(id: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password)
    await this.db
      .updateTable('demo_users')
      .set({ password_hash: passwordHash })
      .where('id', '=', Number(id))
      .execute()
  }
}

function toUser(row: { id: number; username: string; role: Role; created_at: number }): DemoUser {
  return {
    id: String(row.id),
    username: row.username,
    role: row.role,
    createdAt: Number(row.created_at),
  }
}
