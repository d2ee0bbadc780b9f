import { addToCart, catalogueItem, MAX_CART_ITEMS, removeFromCart } from './cart.js'
import { normalizeName, normalizeUsername, validatePassword, validateUsername } from './forms.js'
import { passwordChangedMessage, revokeOtherSessions } from './session-lists.js'
import { UsernameTakenError, type UserRepository } from './user-repository.js'
import type { FlashMessage } from './views/page-context.js'

/**
 * What a form's handler does once the action ran: show `flash` on the page it redirects to.
 * The frameworks differ only in how they read the form, flash and redirect.
 */
export interface FormOutcome {
  flash: FlashMessage
  redirect: string
}

/** The session calls the home page's name form makes (every adapter's session has them). */
export interface NameSession {
  set(key: 'name', value: string): void
  delete(key: 'name'): void
}

/** The session calls the cart forms make. */
export interface CartSession {
  get(key: 'cart'): string[] | undefined
  update(key: 'cart', fn: (cart: string[] | undefined) => string[]): unknown
}

const info = (text: string): FlashMessage => ({ kind: 'info', text })
const error = (text: string): FlashMessage => ({ kind: 'error', text })

/** `POST /name`: stores the name (or clears it when empty). */
export function saveName(session: NameSession, value: string): FormOutcome {
  const name = normalizeName(value)
  if (!name) {
    session.delete('name')
    return { flash: info('Your name is cleared.'), redirect: '/' }
  }
  session.set('name', name)
  return { flash: info(`Saved your name, ${name}.`), redirect: '/' }
}

/**
 * `POST /cart/add`: appends the tile through `session.update('cart', fn)`, which the engine
 * replays on the fresh cart if another request changed it meanwhile (two tabs, one click
 * each: both tiles stay).
 */
export function addToCartForm(session: CartSession, id: string): FormOutcome {
  const item = catalogueItem(id)
  if (!item) return { flash: error('There is no such tile.'), redirect: '/cart' }
  if ((session.get('cart')?.length ?? 0) >= MAX_CART_ITEMS) {
    return { flash: error(`A cart holds at most ${MAX_CART_ITEMS} tiles.`), redirect: '/cart' }
  }
  session.update('cart', (cart) => addToCart(cart, item.id))
  return { flash: info(`Added ${item.name}.`), redirect: '/cart' }
}

/** `POST /cart/remove`: removes one of the tile, through `session.update('cart', fn)`. */
export function removeFromCartForm(session: CartSession, id: string): FormOutcome {
  const item = catalogueItem(id)
  if (!item) return { flash: error('There is no such tile.'), redirect: '/cart' }
  session.update('cart', (cart) => removeFromCart(cart, item.id))
  return { flash: info(`Removed one ${item.name}.`), redirect: '/cart' }
}

/** `POST /register`: creates a `user` account with an Argon2id-hashed password. */
export async function registerForm(
  users: UserRepository,
  form: { username: string; password: string },
): Promise<FormOutcome> {
  const username = normalizeUsername(form.username)
  const problem = validateUsername(username) ?? validatePassword(form.password)
  if (problem) return { flash: error(problem), redirect: '/register' }
  try {
    await users.create({ username, password: form.password, role: 'user' })
  } catch (caught) {
    if (!(caught instanceof UsernameTakenError)) throw caught
    return { flash: error(caught.message), redirect: '/register' }
  }
  return {
    flash: info(`Account ${username} created. Sign in with your new password.`),
    redirect: '/login',
  }
}

/**
 * `POST /password`: checks the current password, stores the new one and signs out every
 * other session of the account (`session.revokeOtherSessions()`).
 */
export async function changePasswordForm(
  users: UserRepository,
  session: { revokeOtherSessions(): Promise<number> },
  userId: string,
  form: { password: string; newPassword: string },
): Promise<FormOutcome> {
  if (!(await users.checkPassword(userId, form.password))) {
    return { flash: error('Your current password is not right.'), redirect: '/password' }
  }
  const problem = validatePassword(form.newPassword)
  if (problem) return { flash: error(problem), redirect: '/password' }
  await users.setPassword(userId, form.newPassword)
  const signedOut = await revokeOtherSessions(session)
  return { flash: info(passwordChangedMessage(signedOut)), redirect: '/sessions' }
}
