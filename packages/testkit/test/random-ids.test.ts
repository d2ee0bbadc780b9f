import { KEY_ALPHABET, KEY_LENGTH, randomKey, randomUserId } from '@tessera/testkit'
import { describe, expect, it } from 'vitest'

describe('randomKey / randomUserId', () => {
  it('makes keys shaped like base64url SHA-256 hashes', () => {
    const keys = Array.from({ length: 200 }, randomKey)
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/)
    expect(new Set(keys).size).toBe(keys.length)
    expect(KEY_LENGTH).toBe(43)
    expect(new Set(KEY_ALPHABET).size).toBe(64)
  })

  it('makes distinct user ids', () => {
    const ids = Array.from({ length: 200 }, randomUserId)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
