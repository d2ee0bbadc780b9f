import { randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/**
 * Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane): about 20 ms a hash on
 * one core, computed on libuv's thread pool, so the event loop keeps serving. The parameters
 * are stored in each hash, so raising them later still verifies old hashes.
 */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

/** An Argon2id hash of `password` (PHC string: `$argon2id$v=19$m=19456,t=2,p=1$…`). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS)
}

/** True when `password` matches `passwordHash`; false (never a throw) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** A random password for a seeded account: 16 characters, 96 bits from the CSPRNG. */
export function randomPassword(): string {
  return randomBytes(12).toString('base64url')
}
