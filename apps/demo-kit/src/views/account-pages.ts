import { MIN_PASSWORD_LENGTH } from '../forms.js'
import { html, type SafeHtml } from '../html.js'
import { csrfField, layout } from './layout.js'
import type { PageContext } from './page-context.js'

/** `/login`. */
export function loginPage(ctx: PageContext, view: { username?: string } = {}): SafeHtml {
  const body = html`<h1>Sign in</h1>
<form method="post" action="/login" class="card stack">
  ${csrfField(ctx)}
  <label>Username <input name="username" value="${view.username ?? ''}" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit" class="button">Sign in</button>
  <p class="hint">Signing in gives your session a new id (the old cookie stops working) and indexes it under your account.</p>
</form>
<p>No account yet? <a href="/register">Register</a>.</p>`
  return layout(ctx, 'Sign in', body)
}

/** `/register`. */
export function registerPage(ctx: PageContext, view: { username?: string } = {}): SafeHtml {
  const body = html`<h1>Register</h1>
<form method="post" action="/register" class="card stack">
  ${csrfField(ctx)}
  <label>Username <input name="username" value="${view.username ?? ''}" autocomplete="username" required pattern="[A-Za-z0-9_.\\-]{3,32}"></label>
  <label>Password <input name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}"></label>
  <button type="submit" class="button">Create account</button>
  <p class="hint">Passwords are stored as Argon2id hashes.</p>
</form>
<p>Already registered? <a href="/login">Sign in</a>.</p>`
  return layout(ctx, 'Register', body)
}

/** `/password`: change the password, which signs out the account's other sessions. */
export function passwordPage(ctx: PageContext): SafeHtml {
  const body = html`<h1>Change your password</h1>
<form method="post" action="/password" class="card stack">
  ${csrfField(ctx)}
  <label>Current password <input name="password" type="password" autocomplete="current-password" required></label>
  <label>New password <input name="newPassword" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}"></label>
  <button type="submit" class="button">Change password</button>
  <p class="hint">Changing your password signs out every other session of your account.</p>
</form>`
  return layout(ctx, 'Password', body)
}
