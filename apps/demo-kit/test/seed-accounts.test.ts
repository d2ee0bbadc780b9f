import { describe, expect, it } from 'vitest'
import { resolveSessionSecret, seedAccounts, UserRepository } from '../src/index.js'
import { tempDatabase } from './database.js'

describe('seedAccounts', () => {
  it('creates admin and user with random passwords, printed once, stored only as hashes', async () => {
    const { db } = await tempDatabase()
    const users = new UserRepository(db)
    const lines: string[] = []
    const results = await seedAccounts(users, { log: (line) => lines.push(line) })

    expect(results.map((r) => [r.username, r.role, r.outcome])).toEqual([
      ['admin', 'admin', 'created'],
      ['user', 'user', 'created'],
    ])
    expect(lines).toHaveLength(2)
    for (const [index, result] of results.entries()) {
      const password = result.generatedPassword!
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/)
      expect(lines[index]).toContain(password)
      expect(lines[index]).toContain(index === 0 ? 'DEMO_ADMIN_PASSWORD' : 'DEMO_USER_PASSWORD')
      expect((await users.authenticate(result.username, password))?.role).toBe(result.role)
    }
    expect(results[0]!.generatedPassword).not.toBe(results[1]!.generatedPassword)
    const rows = await db.selectFrom('demo_users').select('password_hash').execute()
    for (const row of rows)
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)

    // The next start keeps the accounts and prints nothing: the passwords are shown once.
    const again: string[] = []
    const kept = await seedAccounts(users, { log: (line) => again.push(line) })
    expect(kept.map((r) => r.outcome)).toEqual(['kept', 'kept'])
    expect(again).toEqual([])
    expect(await users.authenticate('admin', results[0]!.generatedPassword!)).not.toBeNull()
  })

  it('uses DEMO_ADMIN_PASSWORD / DEMO_USER_PASSWORD, and resets an existing account to them', async () => {
    const { db } = await tempDatabase()
    const users = new UserRepository(db)
    const lines: string[] = []
    const log = (line: string) => lines.push(line)
    await seedAccounts(users, {
      adminPassword: 'first admin pass',
      userPassword: 'first user pass',
      log,
    })
    expect(lines).toEqual([
      'Created account admin (role admin) with DEMO_ADMIN_PASSWORD.',
      'Created account user (role user) with DEMO_USER_PASSWORD.',
    ])
    expect(lines.join('\n')).not.toContain('first admin pass')
    expect(await users.authenticate('admin', 'first admin pass')).not.toBeNull()

    lines.length = 0
    const results = await seedAccounts(users, { adminPassword: 'second admin pass', log })
    expect(results.map((r) => r.outcome)).toEqual(['reset', 'kept'])
    expect(lines).toEqual(['Set the password of admin from DEMO_ADMIN_PASSWORD.'])
    expect(await users.authenticate('admin', 'first admin pass')).toBeNull()
    expect(await users.authenticate('admin', 'second admin pass')).not.toBeNull()
    expect(await users.authenticate('user', 'first user pass')).not.toBeNull()

    // The same password again changes nothing.
    lines.length = 0
    expect(
      (await seedAccounts(users, { adminPassword: 'second admin pass', log }))[0]!.outcome,
    ).toBe('kept')
    expect(lines).toEqual([])
  })
})

describe('UserRepository', () => {
  it('registers, refuses a taken username, authenticates and changes passwords', async () => {
    const { db } = await tempDatabase()
    const users = new UserRepository(db)
    const ada = await users.create({ username: 'ada', password: 'lovelace-1815', role: 'user' })
    expect(ada).toMatchObject({ username: 'ada', role: 'user' })
    await expect(
      users.create({ username: 'ada', password: 'another-one', role: 'user' }),
    ).rejects.toMatchObject({ code: 'USERNAME_TAKEN', status: 409, username: 'ada' })
    expect(await users.authenticate('ada', 'wrong-password')).toBeNull()
    expect(await users.authenticate('nobody', 'lovelace-1815')).toBeNull()
    expect((await users.authenticate('ada', 'lovelace-1815'))?.id).toBe(ada.id)
    await users.setPassword(ada.id, 'analytical-engine')
    expect(await users.checkPassword(ada.id, 'lovelace-1815')).toBe(false)
    expect(await users.checkPassword(ada.id, 'analytical-engine')).toBe(true)
    expect(await users.findById(ada.id)).toEqual(ada)
    expect(await users.findById('not-a-number')).toBeNull()
    expect((await users.list()).map((u) => u.username)).toEqual(['ada'])
  })
})

describe('resolveSessionSecret', () => {
  it('generates a 256-bit secret once and keeps it; SESSION_SECRET wins', async () => {
    const { db } = await tempDatabase()
    const first = await resolveSessionSecret(db, undefined)
    expect(first.source).toBe('database')
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await resolveSessionSecret(db, undefined)).secret).toBe(first.secret)
    const fromEnv = 'e'.repeat(40)
    expect(await resolveSessionSecret(db, fromEnv)).toEqual({
      secret: fromEnv,
      source: 'SESSION_SECRET',
    })
  })
})
