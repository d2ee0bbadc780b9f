import { scryptSync, timingSafeEqual } from 'node:crypto'

// The examples' user database: one user, alice / wonderland, with a scrypt password hash.
// A real app keeps users in its database and hashes with scrypt, argon2 or bcrypt too.

/** A signed-in user as the examples' routes see it. */
export interface User {
  id: string
  name: string
}

const SALT = 'tessera-examples'
const hash = (password: string) => scryptSync(password, SALT, 32)
const USERS = new Map([
  ['alice', { user: { id: 'u-alice', name: 'Alice' }, hash: hash('wonderland') }],
])

/** The user whose name and password match, else null. */
export async function checkPassword(name: string, password: string): Promise<User | null> {
  const entry = USERS.get(name)
  const given = hash(password)
  if (!entry || !timingSafeEqual(entry.hash, given)) return null
  return entry.user
}

/** The user with this id, else null (passport's `deserializeUser`). */
export async function findUser(id: string): Promise<User | null> {
  for (const { user } of USERS.values()) if (user.id === id) return user
  return null
}

/** Escapes text for HTML. */
export function html(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** What the examples' home page shows. */
export interface HomePage {
  views: number
  user: User | null
  messages: unknown[]
  csrfToken: string
}

/** The examples' home page: the visit counter, flash messages, a login or a logout form. */
export function homePage({ views, user, messages, csrfToken }: HomePage): string {
  const token = `<input type="hidden" name="_csrf" value="${html(csrfToken)}">`
  const form = user
    ? `<p>Signed in as ${html(user.name)}.</p><form method="post" action="/logout">${token}<button>Log out</button></form>`
    : `<form method="post" action="/login">${token}<input name="name"><input name="password" type="password"><button>Log in</button></form>`
  const flashes = messages.map((message) => `<p class="flash">${html(message)}</p>`).join('')
  return `<!doctype html><title>Tessera example</title>${flashes}<p>Visits: ${views}</p>${form}`
}
