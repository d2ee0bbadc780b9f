import { describe, expect, it } from 'vitest'
import {
  addToCart,
  CATALOGUE,
  cartLines,
  field,
  formatDuration,
  localPath,
  MAX_CART_ITEMS,
  normalizeName,
  normalizeUsername,
  parseTheme,
  relativeTime,
  removeFromCart,
  validatePassword,
  validateUsername,
} from '../src/index.js'

describe('forms', () => {
  it('reads a field as text, whatever the parser produced', () => {
    expect(field({ a: 'x' }, 'a')).toBe('x')
    expect(field({ a: ['first', 'second'] }, 'a')).toBe('first')
    expect(field({ a: 3 }, 'a')).toBe('')
    expect(field(undefined, 'a')).toBe('')
  })

  it('validates usernames and passwords', () => {
    expect(normalizeUsername('  Ada ')).toBe('ada')
    expect(validateUsername('ada')).toBeNull()
    expect(validateUsername('a')).toContain('3 to 32')
    expect(validateUsername('ada lovelace')).not.toBeNull()
    expect(validatePassword('12345678')).toBeNull()
    expect(validatePassword('1234567')).toContain('at least 8')
    expect(validatePassword('x'.repeat(257))).toContain('at most 256')
  })

  it('keeps redirects on this site', () => {
    expect(localPath('/cart')).toBe('/cart')
    expect(localPath('/sessions?x=1')).toBe('/sessions?x=1')
    for (const hostile of [
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      '',
      'cart',
    ]) {
      expect(localPath(hostile)).toBe('/')
    }
  })

  it('normalises names and themes', () => {
    expect(normalizeName('  Ada \n Lovelace ')).toBe('Ada Lovelace')
    expect([...normalizeName('x'.repeat(100))]).toHaveLength(40)
    expect(parseTheme('dark')).toBe('dark')
    expect(parseTheme('neon')).toBeNull()
  })
})

describe('cart', () => {
  it('adds and removes without touching its input, and groups by item', () => {
    const empty: string[] = []
    const one = addToCart(empty, 'blue-tile')
    expect(empty).toEqual([])
    const cart = addToCart(addToCart(one, 'gold-tile'), 'blue-tile')
    expect(cartLines(cart)).toEqual([
      { id: 'blue-tile', name: 'Blue glass tile', quantity: 2 },
      { id: 'gold-tile', name: 'Gold leaf tile', quantity: 1 },
    ])
    expect(removeFromCart(cart, 'blue-tile')).toEqual(['blue-tile', 'gold-tile'])
    expect(removeFromCart(cart, 'jade-tile')).toEqual(cart)
    expect(addToCart(undefined, 'x')).toEqual(['x'])
    expect(cartLines(['unknown'])).toEqual([])
    expect(CATALOGUE).toHaveLength(5)
  })

  it('stops at MAX_CART_ITEMS', () => {
    let cart: string[] = []
    for (let i = 0; i < MAX_CART_ITEMS + 5; i++) cart = addToCart(cart, 'jade-tile')
    expect(cart).toHaveLength(MAX_CART_ITEMS)
  })
})

describe('format', () => {
  it('writes durations and times as a person reads them', () => {
    expect(formatDuration(30 * 60_000)).toBe('30 minutes')
    expect(formatDuration(8 * 3_600_000)).toBe('8 hours')
    expect(formatDuration(86_400_000)).toBe('1 day')
    expect(formatDuration(90_000)).toBe('90 seconds')
    const now = 1_000_000_000
    expect(relativeTime(now - 10_000, now)).toBe('just now')
    expect(relativeTime(now - 3 * 60_000, now)).toBe('3 minutes ago')
    expect(relativeTime(now + 2 * 3_600_000, now)).toBe('in 2 hours')
  })
})
