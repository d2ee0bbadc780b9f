import type { ActiveSession } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import {
  adminPage,
  bareContext,
  cartPage,
  escapeHtml,
  homePage,
  html,
  type PageContext,
  SafeHtml,
  sessionsPage,
} from '../src/index.js'

const XSS = `"><script>alert('x')</script>&`

function context(overrides: Partial<PageContext> = {}): PageContext {
  return {
    ...bareContext(
      { framework: 'Test', idleTimeoutMs: 60_000, absoluteTimeoutMs: 3_600_000, store: 'memory' },
      '/',
    ),
    csrfToken: 'token-123',
    ...overrides,
  }
}

describe('html', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    )
  })

  it('escapes interpolated text but keeps nested templates, joins lists, drops false and null', () => {
    const inner = html`<b>${'<i>'}</b>`
    const page = html`<p title="${XSS}">${inner}${[1, html`<br>`, 'a&b']}${false}${null}${undefined}</p>`
    expect(page).toBeInstanceOf(SafeHtml)
    expect(page.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"><b>&lt;i&gt;</b>1<br>a&amp;b</p>',
    )
  })

  it('never lets user data into the pages as markup', () => {
    const session: ActiveSession = {
      handle: XSS,
      createdAt: 0,
      lastSeenAt: 0,
      expiresAt: 1,
      userAgent: XSS,
      ip: XSS,
      lastIp: XSS,
      current: false,
    }
    const pages = [
      homePage(context({ user: { username: XSS, role: 'user' } }), { name: XSS }),
      cartPage(context({ flash: [{ kind: 'error', text: XSS }] }), {
        lines: [{ id: XSS, name: XSS, quantity: 1 }],
      }),
      sessionsPage(context(), { sessions: [session] }),
      adminPage(context(), {
        rows: [
          {
            user: { id: XSS, username: XSS, role: 'admin', createdAt: 0 },
            sessions: { sessions: [session] },
          },
        ],
      }),
    ]
    for (const page of pages) {
      expect(page.value).not.toContain('<script>')
      expect(page.value).toContain('&lt;script&gt;')
    }
  })

  it('puts the CSRF token in every form', () => {
    const page = cartPage(context(), {
      lines: [{ id: 'blue-tile', name: 'Blue', quantity: 2 }],
    }).value
    const forms = page.match(/<form /g)?.length ?? 0
    expect(forms).toBeGreaterThan(5)
    expect(page.match(/name="_csrf" value="token-123"/g)?.length).toBe(forms)
  })
})
