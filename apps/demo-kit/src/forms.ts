/** A form body as the frameworks' parsers hand it over: field name to value(s). */
export type FormBody = Readonly<Record<string, unknown>>

export type Theme = 'light' | 'dark'

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 256
const USERNAME = /^[a-z0-9_.-]{3,32}$/
const MAX_NAME_LENGTH = 40

/** The text of one form field: its first value, or `''` when absent or not text. */
export function field(form: FormBody | null | undefined, name: string): string {
  const value = form?.[name]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : ''
}

/** A username as stored: trimmed and lower-cased. */
export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase()
}

/** Why `username` cannot be registered, or null when it can. */
export function validateUsername(username: string): string | null {
  if (USERNAME.test(username)) return null
  return 'Choose a username of 3 to 32 characters: letters, digits, dot, dash or underscore.'
}

/** Why `password` is not accepted, or null when it is. */
export function validatePassword(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Use a password of at least ${MIN_PASSWORD_LENGTH} characters.`
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Use a password of at most ${MAX_PASSWORD_LENGTH} characters.`
  }
  return null
}

/** The display name from the home page's form: trimmed and shortened; `''` clears it. */
export function normalizeName(value: string): string {
  return [...value.replace(/\s+/g, ' ').trim()].slice(0, MAX_NAME_LENGTH).join('')
}

/** The theme a form asked for, or null for anything else. */
export function parseTheme(value: string): Theme | null {
  return value === 'light' || value === 'dark' ? value : null
}

/**
 * Where to send the browser back to after a form: a path on this site (`/cart`), never another
 * origin (`//evil.example`, `https://…`, `/\\evil`). Falls back to `/`.
 */
export function localPath(value: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/'
}
