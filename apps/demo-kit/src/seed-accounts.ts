import type { Role } from './demo-database.js'
import { randomPassword } from './passwords.js'
import type { UserRepository } from './user-repository.js'

/** Options of {@link seedAccounts}. */
export interface SeedAccountsOptions {
  /** The `admin` account's password (`DEMO_ADMIN_PASSWORD`); unset: random, printed once. */
  adminPassword?: string | undefined
  /** The `user` account's password (`DEMO_USER_PASSWORD`); unset: random, printed once. */
  userPassword?: string | undefined
  /** Where the lines about created accounts go. Default `console.log`. */
  log?: (line: string) => void
}

/** What {@link seedAccounts} did for one account. */
export interface SeedResult {
  username: string
  role: Role
  /** `created` (with a random or a given password), `reset` (to the given one), or `kept`. */
  outcome: 'created' | 'reset' | 'kept'
  /** The generated password, only when this call made it up (it is printed once, here). */
  generatedPassword?: string
}

const ACCOUNTS = [
  { username: 'admin', role: 'admin', variable: 'DEMO_ADMIN_PASSWORD', option: 'adminPassword' },
  { username: 'user', role: 'user', variable: 'DEMO_USER_PASSWORD', option: 'userPassword' },
] as const

/**
 * Creates the `admin` and `user` accounts when they do not exist: with the given password, or
 * with a random one printed once (it is never stored in clear, so it cannot be shown again).
 * A given password for an existing account replaces its password, so restarting with
 * `DEMO_ADMIN_PASSWORD=…` recovers a lost one. Nothing weak is ever hard-coded.
 *
 * @example
 * ```ts
 * await seedAccounts(users, { adminPassword: process.env.DEMO_ADMIN_PASSWORD })
 * // first start: "Created account admin (role admin) with password 3q0…: shown once, …"
 * ```
 */
export async function seedAccounts(
  users: UserRepository,
  options: SeedAccountsOptions = {},
): Promise<SeedResult[]> {
  const log = options.log ?? console.log
  const results: SeedResult[] = []
  for (const account of ACCOUNTS) {
    const given = options[account.option]
    const existing = await users.findByUsername(account.username)
    if (!existing) {
      const password = given ?? randomPassword()
      await users.create({ username: account.username, password, role: account.role })
      if (given === undefined) {
        log(
          `Created account ${account.username} (role ${account.role}) with password ${password}: shown once, set ${account.variable} to choose it.`,
        )
        results.push({ ...pick(account), outcome: 'created', generatedPassword: password })
      } else {
        log(`Created account ${account.username} (role ${account.role}) with ${account.variable}.`)
        results.push({ ...pick(account), outcome: 'created' })
      }
    } else if (given !== undefined && !(await users.checkPassword(existing.id, given))) {
      await users.setPassword(existing.id, given)
      log(`Set the password of ${account.username} from ${account.variable}.`)
      results.push({ ...pick(account), outcome: 'reset' })
    } else {
      results.push({ ...pick(account), outcome: 'kept' })
    }
  }
  return results
}

function pick(account: (typeof ACCOUNTS)[number]): { username: string; role: Role } {
  return { username: account.username, role: account.role }
}
