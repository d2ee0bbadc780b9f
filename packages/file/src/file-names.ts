import { createHash, randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { FileStoreKeyError } from './file-store-key-error.js'

/**
 * Longest key the store accepts. The engine's keys are 43 characters; the bound leaves room
 * for a prefix while every derived name stays under the 255-byte limit of file names.
 */
export const MAX_KEY_LENGTH = 100

const KEY_PATTERN = /^[A-Za-z0-9_-]+$/
const ENCODED_PATTERN = /^(?:[a-z0-9-]|_[a-z_])+$/

const RECORD_PREFIX = 'sess.'
const INDEX_PREFIX = 'user.'
const LEASE_PREFIX = 'lease.'
const LOCK_SUFFIX = '.lock'
const BREAK_SUFFIX = '.break'
const TEMP_PATTERN = /^(.+)\.([1-9][0-9]*)-([0-9a-f]{8})-[0-9a-f]{16}\.tmp$/
const INDEX_PATTERN = /^user\.[0-9a-f]{64}$/

/** Whether `key` is in the key alphabet and short enough to become a file name. */
export function isKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= MAX_KEY_LENGTH && KEY_PATTERN.test(key)
}

/** Throws {@link FileStoreKeyError} unless {@link isKey}. */
export function checkKey(key: unknown): asserts key is string {
  if (!isKey(key)) throw new FileStoreKeyError(key, MAX_KEY_LENGTH)
}

/**
 * A key as a file-name part that survives case-insensitive file systems (macOS, Windows):
 * `_` becomes `__` and an upper-case letter `_` plus its lower case, so `aB` and `ab` stay
 * two files. Only `[a-z0-9_-]` comes out; no `.`, separator or NUL can.
 */
export function encodeKey(key: string): string {
  let out = ''
  for (const char of key) {
    if (char === '_') out += '__'
    else if (char >= 'A' && char <= 'Z') out += `_${char.toLowerCase()}`
    else out += char
  }
  return out
}

/** The key of an {@link encodeKey} result; `null` for a name the store did not derive. */
export function decodeKey(encoded: string): string | null {
  if (!ENCODED_PATTERN.test(encoded)) return null
  const key = encoded.replace(/_([a-z_])/g, (_, char: string) =>
    char === '_' ? '_' : char.toUpperCase(),
  )
  return key.length <= MAX_KEY_LENGTH ? key : null
}

/** File name of the record under `key` (checked). */
export function recordName(key: string): string {
  return RECORD_PREFIX + encodeKey(key)
}

/** File name of the exclusive-section lease on `key` (checked), beside its record. */
export function leaseName(key: string): string {
  return LEASE_PREFIX + encodeKey(key)
}

/**
 * File name of a user's index. User ids are arbitrary text, so the name is their SHA-256 in
 * hex: fixed length, one case, nothing a path could be made of.
 */
export function indexName(userId: string): string {
  return INDEX_PREFIX + createHash('sha256').update(userId, 'utf8').digest('hex')
}

/** The lock file guarding the record or index `name`. */
export function lockName(name: string): string {
  return name + LOCK_SUFFIX
}

/** The file whose holder may break the stale lock `lock`. */
export function breakName(lock: string): string {
  return lock + BREAK_SUFFIX
}

/** This host in temporary names: 8 hex digits of the SHA-256 of its host name. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8)

/**
 * A fresh temporary name beside `name`, which is renamed over from it: `<name>.<pid>-<host
 * tag>-<16 hex>.tmp`. The pid and host tell `prune()` whether its writer is still running.
 */
export function tempName(name: string): string {
  return `${name}.${process.pid}-${HOST_TAG}-${randomBytes(8).toString('hex')}.tmp`
}

/** What a file in the store's directory is, judged by its name alone. */
export type StoreFile =
  | { kind: 'record'; key: string }
  | { kind: 'lease'; key: string }
  | { kind: 'index' }
  | { kind: 'lock' }
  | { kind: 'break' }
  | { kind: 'temp'; pid: number; host: string }

/** Classifies a directory entry; `null` for anything the store did not create. */
export function classify(name: string): StoreFile | null {
  if (name.endsWith(BREAK_SUFFIX)) return { kind: 'break' }
  if (name.endsWith(LOCK_SUFFIX)) return { kind: 'lock' }
  const temp = TEMP_PATTERN.exec(name)
  if (temp) return { kind: 'temp', pid: Number(temp[2]), host: temp[3] as string }
  if (name.startsWith(RECORD_PREFIX)) {
    const key = decodeKey(name.slice(RECORD_PREFIX.length))
    return key === null ? null : { kind: 'record', key }
  }
  if (name.startsWith(LEASE_PREFIX)) {
    const key = decodeKey(name.slice(LEASE_PREFIX.length))
    return key === null ? null : { kind: 'lease', key }
  }
  if (INDEX_PATTERN.test(name)) return { kind: 'index' }
  return null
}
