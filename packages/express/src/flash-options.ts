/**
 * Options of {@link flash}.
 *
 * @example
 * ```ts
 * import { flash, session } from '@tessera/express'
 *
 * app.use(session({ secret: process.env.SESSION_SECRET! }))
 * app.use(flash({ local: 'flash' }))
 *
 * app.post('/save', (req, res) => {
 *   req.flash('info', 'Saved.') // or req.session.flash('info', 'Saved.')
 *   res.redirect('/')
 * })
 * // in a template: <% for (const m of flash('info')) { %><p><%= m %></p><% } %>
 * ```
 */
export interface FlashOptions {
  /**
   * Name of the `res.locals` function templates call to take a key's messages, or `false`
   * for none. Default `'flash'`.
   */
  local?: string | false
}
