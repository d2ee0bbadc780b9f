/** One thing the demo shop sells. */
export interface CatalogueItem {
  id: string
  name: string
}

/** The shop's catalogue: `POST /cart/add` accepts these ids in the `item` field. */
export const CATALOGUE: readonly CatalogueItem[] = [
  { id: 'blue-tile', name: 'Blue glass tile' },
  { id: 'gold-tile', name: 'Gold leaf tile' },
  { id: 'terracotta-tile', name: 'Terracotta tile' },
  { id: 'marble-tile', name: 'Marble tile' },
  { id: 'jade-tile', name: 'Jade tile' },
]

/** Items a cart can hold, so a session stays small. */
export const MAX_CART_ITEMS = 50

/** One row of the cart page: an item and how many of it. */
export interface CartLine {
  id: string
  name: string
  quantity: number
}

export function catalogueItem(id: string): CatalogueItem | undefined {
  return CATALOGUE.find((item) => item.id === id)
}

/**
 * The cart with `id` appended. Pure, so it can be the function of
 * `session.update('cart', (cart) => addToCart(cart, id))`: on a concurrent commit the engine
 * replays it on the fresh cart, and both tabs' items survive.
 */
export function addToCart(cart: readonly string[] | undefined, id: string): string[] {
  const items = [...(cart ?? [])]
  if (items.length < MAX_CART_ITEMS) items.push(id)
  return items
}

/** The cart with one `id` removed (the last one added). Pure, like {@link addToCart}. */
export function removeFromCart(cart: readonly string[] | undefined, id: string): string[] {
  const items = [...(cart ?? [])]
  const index = items.lastIndexOf(id)
  if (index !== -1) items.splice(index, 1)
  return items
}

/** The cart grouped by item, in catalogue order; unknown ids are left out. */
export function cartLines(cart: readonly string[] | undefined): CartLine[] {
  const lines: CartLine[] = []
  for (const item of CATALOGUE) {
    const quantity = (cart ?? []).filter((id) => id === item.id).length
    if (quantity > 0) lines.push({ id: item.id, name: item.name, quantity })
  }
  return lines
}
