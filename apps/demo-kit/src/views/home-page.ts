import { html, type SafeHtml } from '../html.js'
import { csrfField, layout } from './layout.js'
import type { PageContext } from './page-context.js'

/** `/`: the greeting, and the form that stores a name in the session. */
export function homePage(ctx: PageContext, view: { name: string | undefined }): SafeHtml {
  const body = html`<h1 id="greeting">Welcome, ${view.name || 'Guest'}</h1>
<section class="card">
  <h2>Set and read a value</h2>
  <p>The name you save is kept in your session (and the theme you pick, on every page).</p>
  <form method="post" action="/name" class="row">
    ${csrfField(ctx)}
    <label>Your name <input name="name" value="${view.name ?? ''}" maxlength="40" autocomplete="given-name"></label>
    <button type="submit" class="button">Save name</button>
  </form>
</section>
<section class="card">
  <h2>What to try</h2>
  <ul>
    <li>Add tiles to <a href="/cart">your cart</a>, reload, restart the server: they are still there.</li>
    <li><a href="/register">Register</a> or <a href="/login">sign in</a> (the console printed the <code>admin</code> and <code>user</code> passwords at first start).</li>
    <li>Sign in from a second browser, then see and revoke it on <a href="/sessions">your sessions</a>.</li>
    <li>As <code>admin</code>, the <a href="/admin">admin dashboard</a> lists every user's sessions.</li>
  </ul>
</section>`
  return layout(ctx, 'Home', body)
}
