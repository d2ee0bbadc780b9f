import { KEY_ALPHABET, randomKey } from '@tessera/testkit'
import { describe, expect, it } from 'vitest'
import {
  classify,
  decodeKey,
  encodeKey,
  HOST_TAG,
  indexName,
  leaseName,
  lockName,
  recordName,
  tempName,
} from '../src/file-names.js'
import { decodeHead, encodeHeader, encodeRecord, HEADER_LENGTH } from '../src/session-file.js'

describe('file names', () => {
  it('encode keys into lower-case names that decode back, so case-insensitive file systems keep keys apart', () => {
    const keys = [
      ...Array.from({ length: 500 }, randomKey),
      KEY_ALPHABET,
      '_',
      '__',
      'A_a',
      'a_A',
      '-',
    ]
    const names = new Set<string>()
    for (const key of keys) {
      const encoded = encodeKey(key)
      expect(encoded).toMatch(/^[a-z0-9_-]+$/)
      expect(decodeKey(encoded)).toBe(key)
      names.add(encoded.toLowerCase())
    }
    expect(names.size).toBe(new Set(keys).size)
    expect(encodeKey('aB')).not.toBe(encodeKey('ab'))
    expect(encodeKey('a_b')).not.toBe(encodeKey('aB'))
  })

  it('classify recognises only what the store writes', () => {
    const key = randomKey()
    const record = recordName(key)
    expect(classify(record)).toEqual({ kind: 'record', key })
    expect(classify(lockName(record))).toEqual({ kind: 'lock' })
    expect(classify(`${lockName(record)}.break`)).toEqual({ kind: 'break' })
    expect(classify(tempName(record))).toEqual({ kind: 'temp', pid: process.pid, host: HOST_TAG })
    expect(classify(indexName('alice'))).toEqual({ kind: 'index' })
    const lease = leaseName(key)
    expect(classify(lease)).toEqual({ kind: 'lease', key })
    expect(classify(lockName(lease))).toEqual({ kind: 'lock' })
    expect(classify(tempName(lease))).toEqual({ kind: 'temp', pid: process.pid, host: HOST_TAG })
    for (const foreign of [
      'README',
      'sess.',
      'sess.A',
      'sess.a.b',
      'lease.',
      'lease.A',
      'user.xyz',
      'x.tmp',
      '.DS_Store',
    ]) {
      expect(classify(foreign), foreign).toBeNull()
    }
  })
})

describe('session file format', () => {
  it('has a fixed first line that round-trips any finite expiry', () => {
    for (const expiresAt of [
      0,
      1,
      Date.now(),
      8.64e15,
      -1.5,
      1.2345678901234567e-6,
      -Number.MAX_VALUE,
    ]) {
      const line = encodeHeader(expiresAt)
      expect(line).toHaveLength(HEADER_LENGTH)
      const file = Buffer.concat([line, Buffer.from('{"version":1,"userId":null}\n')])
      expect(decodeHead(file, true, 'x')).toMatchObject({ expiresAt, version: 1, userId: null })
    }
  })

  it('tells a torn first line from a whole one', () => {
    const a = encodeRecord({ payload: 'p', version: 1, expiresAt: 1_700_000_000_000 })
    const b = encodeHeader(1_799_999_999_999)
    // Half of the new line over the old one, as a reader racing a touch may see it.
    for (let cut = 27; cut < HEADER_LENGTH - 1; cut += 3) {
      const torn = Buffer.concat([b.subarray(0, cut), a.subarray(cut)])
      const head = decodeHead(torn, true, 'x')
      if (
        torn.subarray(0, HEADER_LENGTH).equals(b) ||
        torn.subarray(0, HEADER_LENGTH).equals(a.subarray(0, HEADER_LENGTH))
      )
        continue
      expect(head, `cut at ${cut}`).toBe('torn')
    }
  })

  it('asks for more bytes when the meta line is cut, and rejects what is not a session file', () => {
    const file = encodeRecord({
      payload: 'p',
      version: 3,
      expiresAt: 1,
      userId: 'u'.repeat(10_000),
    })
    expect(decodeHead(file.subarray(0, 4096), false, 'x')).toBe('short')
    expect(decodeHead(file, true, 'x')).toMatchObject({ version: 3, userId: 'u'.repeat(10_000) })
    expect(() => decodeHead(Buffer.from('hello'), true, 'x')).toThrow(/too short/)
    expect(() => decodeHead(Buffer.alloc(200, 0x61), true, 'x')).toThrow(/does not start like/)
  })
})
