import { type HtmlValue, html, type SafeHtml } from '../html.js'
import { formatDuration } from './format.js'
import type { PageContext } from './page-context.js'

/** The hidden `_csrf` field every form carries (the adapters' `csrf()` reads it). */
export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`
}

/** A one-button form that posts to `action` (sign out, revoke, remove…). */
export function postButton(
  ctx: PageContext,
  action: string,
  label: string,
  fields: Readonly<Record<string, string>> = {},
  className = 'button',
  /** What screen readers (and tests) call the button when the label alone is ambiguous. */
  accessibleName?: string,
): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">${csrfField(ctx)}${Object.entries(
    fields,
  ).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit" class="${className}"${accessibleName && html` aria-label="${accessibleName}"`}>${label}</button></form>`
}

function navLink(ctx: PageContext, href: string, label: HtmlValue): SafeHtml {
  const current = ctx.path === href || (href !== '/' && ctx.path.startsWith(`${href}/`))
  return html`<a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a>`
}

/** The page every view is wrapped in: header with navigation, flash messages, footer. */
export function layout(ctx: PageContext, title: string, body: SafeHtml): SafeHtml {
  const { footer, user } = ctx
  const otherTheme = ctx.theme === 'dark' ? 'light' : 'dark'
  return html`<!doctype html>
<html lang="en" data-theme="${ctx.theme}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Tessera ${footer.framework} demo</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="top">
  <a class="brand" href="/"><span class="tiles" aria-hidden="true"></span>Tessera <small>${footer.framework} demo</small></a>
  <nav aria-label="Main">
    ${navLink(ctx, '/', 'Home')}
    ${navLink(ctx, '/cart', html`Cart${ctx.cartCount > 0 && html` <span class="badge" id="cart-count">${ctx.cartCount}</span>`}`)}
    ${navLink(ctx, '/sessions', 'Your sessions')}
    ${user?.role === 'admin' && navLink(ctx, '/admin', 'Admin')}
  </nav>
  <div class="account">
    ${
      user
        ? html`<span id="signed-in-as">Signed in as <strong>${user.username}</strong></span>
    ${navLink(ctx, '/password', 'Password')}
    ${postButton(ctx, '/logout', 'Sign out', {}, 'link')}`
        : html`${navLink(ctx, '/login', 'Sign in')} ${navLink(ctx, '/register', 'Register')}`
    }
    ${postButton(ctx, '/theme', otherTheme === 'dark' ? 'Dark theme' : 'Light theme', { theme: otherTheme, back: ctx.path }, 'link theme-toggle')}
  </div>
</header>
<main>
${ctx.flash.map(
  (message) =>
    html`<p class="flash flash-${message.kind}" role="${message.kind === 'error' ? 'alert' : 'status'}">${message.text}</p>`,
)}
${body}
</main>
<footer>
  <p>Sessions expire after <strong id="idle-timeout">${formatDuration(footer.idleTimeoutMs)}</strong> without a request
  (idle timeout) and <strong id="absolute-timeout">${formatDuration(footer.absoluteTimeoutMs)}</strong> after they
  began, however active (absolute timeout).</p>
  <p>Session store: <strong id="session-store">${footer.store}</strong> · ${footer.framework} + Tessera</p>
</footer>
</body>
</html>
`
}
