import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core'

/** The demos' session cookie (the adapters' default name). */
export const SESSION_COOKIE = 'tessera.sid'

/**
 * One "device": its own browser context (own cookies) and page, driving a demo through the
 * same forms a person uses.
 */
export class DemoBrowser {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly base: string,
    private readonly artifacts: string,
  ) {}

  static async open(browser: Browser, base: string, artifacts: string): Promise<DemoBrowser> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 720 } })
    context.setDefaultTimeout(10_000)
    return new DemoBrowser(context, await context.newPage(), base, artifacts)
  }

  async goto(path: string): Promise<Response> {
    const response = await this.page.goto(this.base + path)
    if (!response) throw new Error(`no response for ${path}`)
    return response
  }

  /** Clicks a button that submits a form and waits for the page the redirect lands on. */
  async submit(button: Locator): Promise<void> {
    await button.click()
    await this.page.waitForLoadState('domcontentloaded')
  }

  async register(username: string, password: string): Promise<void> {
    await this.goto('/register')
    const form = this.page.locator('form[action="/register"]')
    await form.locator('input[name="username"]').fill(username)
    await form.locator('input[name="password"]').fill(password)
    await this.submit(form.getByRole('button', { name: 'Create account' }))
  }

  async login(username: string, password: string): Promise<void> {
    if (this.page.url() !== `${this.base}/login`) await this.goto('/login')
    const form = this.page.locator('form[action="/login"]')
    await form.locator('input[name="username"]').fill(username)
    await form.locator('input[name="password"]').fill(password)
    await this.submit(form.getByRole('button', { name: 'Sign in' }))
  }

  async logout(): Promise<void> {
    await this.submit(this.page.getByRole('button', { name: 'Sign out', exact: true }))
  }

  async addToCart(itemName: string): Promise<void> {
    if (this.page.url() !== `${this.base}/cart`) await this.goto('/cart')
    await this.submit(this.page.getByRole('button', { name: `Add ${itemName}` }))
  }

  /** The cart page's lines as `{ item id: quantity }`. */
  async cart(): Promise<Record<string, number>> {
    const lines = await this.page
      .locator('.cart-line')
      .evaluateAll((items) =>
        items.map((item) => [
          item.getAttribute('data-item') ?? '',
          Number(/\d+/.exec(item.querySelector('.quantity')?.textContent ?? '')?.[0] ?? 0),
        ]),
      )
    return Object.fromEntries(lines)
  }

  /** The username in the header, or null when the page shows nobody signed in. */
  async signedInAs(): Promise<string | null> {
    const who = this.page.locator('#signed-in-as strong')
    return (await who.count()) > 0 ? await who.textContent() : null
  }

  async heading(): Promise<string> {
    return ((await this.page.locator('h1').first().textContent()) ?? '').trim()
  }

  async flash(): Promise<string[]> {
    return this.page.locator('.flash').allTextContents()
  }

  /** The session cookie's current value, as the browser holds it. */
  async sessionCookie(): Promise<string | undefined> {
    const cookies = await this.context.cookies(this.base)
    return cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value
  }

  /** Saves the page as `<artifacts>/<name>.png` and returns the file. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(this.artifacts, { recursive: true })
    const path = join(this.artifacts, `${name}.png`)
    await this.page.screenshot({ path, fullPage: true, animations: 'disabled' })
    return path
  }

  close(): Promise<void> {
    return this.context.close()
  }
}

/**
 * A request outside the browser with only the given session cookie: what an attacker holding
 * a copied cookie would send.
 */
export function replay(base: string, path: string, cookie: string): Promise<globalThis.Response> {
  return fetch(base + path, {
    headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
    redirect: 'manual',
  })
}

/** The session cookie a response sets, if any (`undefined` when it sets none). */
function sessionCookieOf(response: globalThis.Response): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const [name, value] = (pair ?? '').split('=')
    if (name === SESSION_COOKIE) return value ?? ''
  }
  return undefined
}

/**
 * Signs in with plain HTTP requests (another "device" without a browser): fetches the login
 * form for its CSRF token, posts it, and returns the signed-in session cookie.
 */
export async function httpLogin(base: string, username: string, password: string): Promise<string> {
  const form = await fetch(`${base}/login`)
  const anonymous = sessionCookieOf(form)
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1]
  if (!anonymous || !token) throw new Error('the login page set no session cookie or token')
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    headers: {
      cookie: `${SESSION_COOKIE}=${anonymous}`,
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'node-fetch/1 (second device)',
    },
    body: new URLSearchParams({ _csrf: token, username, password }),
    redirect: 'manual',
  })
  const signedIn = sessionCookieOf(login)
  if (login.status !== 302 || !signedIn) throw new Error(`login answered ${login.status}`)
  return signedIn
}
