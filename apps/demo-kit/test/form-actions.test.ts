import { describe, expect, it } from 'vitest'
import {
  addToCartForm,
  changePasswordForm,
  MAX_CART_ITEMS,
  registerForm,
  removeFromCartForm,
  saveName,
  UserRepository,
} from '../src/index.js'
import { tempDatabase } from './database.js'

/** A session holding plain data, with the calls the form actions make. */
function fakeSession() {
  const data: { name?: string; cart?: string[] } = {}
  let revoked = 0
  return {
    data,
    get: (key: 'cart') => data[key],
    set: (key: 'name', value: string) => {
      data[key] = value
    },
    delete: (key: 'name') => {
      delete data[key]
    },
    update: (key: 'cart', fn: (cart: string[] | undefined) => string[]) => {
      data[key] = fn(data[key])
    },
    revokeOtherSessions: async () => ++revoked,
  }
}

describe('form actions', () => {
  it('save and clear the name', () => {
    const session = fakeSession()
    expect(saveName(session, '  Ada  ')).toEqual({
      flash: { kind: 'info', text: 'Saved your name, Ada.' },
      redirect: '/',
    })
    expect(session.data.name).toBe('Ada')
    expect(saveName(session, '   ').flash.text).toBe('Your name is cleared.')
    expect(session.data.name).toBeUndefined()
  })

  it('add and remove catalogue tiles, refuse others and a full cart', () => {
    const session = fakeSession()
    expect(addToCartForm(session, 'jade-tile').flash).toEqual({
      kind: 'info',
      text: 'Added Jade tile.',
    })
    expect(addToCartForm(session, 'gold-tile').redirect).toBe('/cart')
    expect(session.data.cart).toEqual(['jade-tile', 'gold-tile'])
    expect(addToCartForm(session, '<script>').flash).toEqual({
      kind: 'error',
      text: 'There is no such tile.',
    })
    expect(removeFromCartForm(session, 'jade-tile').flash.text).toBe('Removed one Jade tile.')
    expect(session.data.cart).toEqual(['gold-tile'])
    session.data.cart = Array(MAX_CART_ITEMS).fill('gold-tile')
    expect(addToCartForm(session, 'jade-tile').flash.kind).toBe('error')
    expect(session.data.cart).toHaveLength(MAX_CART_ITEMS)
  })

  it('register an account, or say why not', async () => {
    const users = new UserRepository((await tempDatabase()).db)
    expect(await registerForm(users, { username: 'Ada', password: 'lovelace-1815' })).toEqual({
      flash: { kind: 'info', text: 'Account ada created. Sign in with your new password.' },
      redirect: '/login',
    })
    const taken = await registerForm(users, { username: 'ada', password: 'lovelace-1815' })
    expect(taken).toEqual({
      flash: { kind: 'error', text: 'The username ada is taken; choose another.' },
      redirect: '/register',
    })
    expect((await registerForm(users, { username: 'bob', password: 'short' })).flash.kind).toBe(
      'error',
    )
    expect((await registerForm(users, { username: 'x', password: 'long-enough' })).redirect).toBe(
      '/register',
    )
  })

  it('change the password only with the current one, and sign out the other sessions', async () => {
    const users = new UserRepository((await tempDatabase()).db)
    const ada = await users.create({ username: 'ada', password: 'lovelace-1815', role: 'user' })
    const session = fakeSession()
    const wrong = await changePasswordForm(users, session, ada.id, {
      password: 'guess-guess',
      newPassword: 'difference-engine',
    })
    expect(wrong.flash).toEqual({ kind: 'error', text: 'Your current password is not right.' })
    const weak = await changePasswordForm(users, session, ada.id, {
      password: 'lovelace-1815',
      newPassword: 'short',
    })
    expect(weak.redirect).toBe('/password')
    expect(await users.checkPassword(ada.id, 'lovelace-1815')).toBe(true)

    const changed = await changePasswordForm(users, session, ada.id, {
      password: 'lovelace-1815',
      newPassword: 'difference-engine',
    })
    expect(changed).toEqual({
      flash: { kind: 'info', text: 'Password changed; 1 other session(s) signed out.' },
      redirect: '/sessions',
    })
    expect(await users.checkPassword(ada.id, 'difference-engine')).toBe(true)
  })
})
