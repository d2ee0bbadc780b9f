import { CATALOGUE, type CartLine } from '../cart.js'
import { html, type SafeHtml } from '../html.js'
import { layout, postButton } from './layout.js'
import type { PageContext } from './page-context.js'

/** `/cart`: what the session's cart holds, and the catalogue to add from. */
export function cartPage(ctx: PageContext, view: { lines: readonly CartLine[] }): SafeHtml {
  const body = html`<h1>Your cart</h1>
<section class="card">
  ${
    view.lines.length === 0
      ? html`<p id="cart-empty">Your cart is empty.</p>`
      : html`<ul class="cart" id="cart">
    ${view.lines.map(
      (line) =>
        html`<li class="cart-line" data-item="${line.id}"><span class="tile tile-${line.id}" aria-hidden="true"></span><span class="cart-name">${line.name}</span> <span class="quantity">× ${line.quantity}</span> ${postButton(ctx, '/cart/remove', 'Remove one', { item: line.id }, 'link', `Remove one ${line.name}`)}</li>`,
    )}
  </ul>`
  }
  <p class="hint">Every change goes through <code>session.update('cart', fn)</code>: two tabs adding at the same moment both keep their tiles.</p>
</section>
<section class="card">
  <h2>Tiles</h2>
  <ul class="catalogue">
    ${CATALOGUE.map(
      (item) =>
        html`<li><span class="tile tile-${item.id}" aria-hidden="true"></span>${item.name} ${postButton(ctx, '/cart/add', 'Add to cart', { item: item.id }, 'button', `Add ${item.name}`)}</li>`,
    )}
  </ul>
</section>`
  return layout(ctx, 'Cart', body)
}
