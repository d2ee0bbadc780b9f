import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { skipOrFail } from '@tessera/test-support'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { CHROMIUM_MISSING, chromiumInstalled, launchChromium } from '../src/chromium.js'
import { DemoBrowser, httpLogin, replay } from '../src/demo-browser.js'
import {
  ADMIN_PASSWORD,
  type DemoName,
  DemoServer,
  ROOT,
  USER_PASSWORD,
} from '../src/demo-server.js'
import {
  fileVariant,
  mariadbVariant,
  postgresVariant,
  redisVariant,
  type StoreVariant,
} from '../src/store-variants.js'

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts')
const DOCS_SCREENSHOTS = join(ROOT, 'docs', 'screenshots')
const hasChromium = chromiumInstalled()
if (!hasChromium) skipOrFail('browser (demo apps end to end)', CHROMIUM_MISSING)

// One Chromium for the whole suite; each "device" below is a context of it.
let browser: Browser
beforeAll(async () => {
  if (hasChromium) browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

const DEMOS: ReadonlyArray<[DemoName, string]> = [
  ['express', 'Express'],
  ['koa', 'Koa'],
  ['hono', 'Hono'],
]
const ADA = { username: 'ada', password: 'lovelace-1815' }

// The three demos run side by side (each its own server and SQLite file); the steps of one
// demo run in order, each building on the one before.
describe.skipIf(!hasChromium)('the demos in Chromium, on SQLite', () => {
  for (const [demo, framework] of DEMOS) {
    describe.concurrent(`${framework} demo`, () => {
      const server = new DemoServer(demo)
      const artifacts = join(ARTIFACTS, demo)
      const open = () => DemoBrowser.open(browser, server.url, artifacts)
      let ada: DemoBrowser
      let laptop: DemoBrowser

      beforeAll(async () => {
        await server.start()
        ada = await open()
        laptop = await open()
      })
      afterAll(async () => {
        await ada?.close()
        await laptop?.close()
        await server.dispose()
      })

      it.sequential('registers, signs in, greets by name, keeps the theme', async ({ expect }) => {
        await ada.goto('/')
        expect(await ada.heading()).toBe('Welcome, Guest')
        await ada.register(ADA.username, ADA.password)
        expect(await ada.heading()).toBe('Sign in')
        expect(await ada.flash()).toContain('Account ada created. Sign in with your new password.')
        await ada.screenshot('login')

        const anonymous = await ada.sessionCookie()
        expect(anonymous).toBeDefined()
        await ada.login(ADA.username, ADA.password)
        expect(await ada.signedInAs()).toBe('ada')
        expect(await ada.flash()).toContain('Signed in as ada.')
        // Login regenerates the session: a new id, and the pre-login cookie no longer works.
        expect(await ada.sessionCookie()).not.toBe(anonymous)
        expect((await replay(server.url, '/sessions', anonymous!)).status).toBe(302)

        const nameForm = ada.page.locator('form[action="/name"]')
        await nameForm.locator('input[name="name"]').fill('Ada <Lovelace>')
        await ada.submit(nameForm.getByRole('button', { name: 'Save name' }))
        expect(await ada.heading()).toBe('Welcome, Ada <Lovelace>') // escaped, shown as typed
        await nameForm.locator('input[name="name"]').fill('Ada')
        await ada.submit(nameForm.getByRole('button', { name: 'Save name' }))
        expect(await ada.heading()).toBe('Welcome, Ada')

        await ada.submit(ada.page.getByRole('button', { name: 'Dark theme' }))
        await ada.goto('/sessions')
        expect(await ada.page.locator('html').getAttribute('data-theme')).toBe('dark')
        await ada.submit(ada.page.getByRole('button', { name: 'Light theme' }))
        expect(ada.page.url()).toBe(`${server.url}/sessions`)
        expect(await ada.page.locator('html').getAttribute('data-theme')).toBe('light')

        await ada.goto('/')
        expect(await ada.page.locator('#idle-timeout').textContent()).toBe('30 minutes')
        expect(await ada.page.locator('#absolute-timeout').textContent()).toBe('8 hours')
        await ada.screenshot('home')
      })

      it.sequential('adds two items to the cart, also at once, and keeps them', async ({
        expect,
      }) => {
        await ada.addToCart('Blue glass tile')
        await ada.addToCart('Gold leaf tile')
        expect(await ada.cart()).toEqual({ 'blue-tile': 1, 'gold-tile': 1 })
        await ada.page.reload()
        expect(await ada.cart()).toEqual({ 'blue-tile': 1, 'gold-tile': 1 })

        // Two tabs adding at the same moment: session.update('cart', fn) keeps both.
        await ada.page.evaluate(async () => {
          const token = document.querySelector<HTMLInputElement>('input[name="_csrf"]')!.value
          const add = (item: string) =>
            fetch('/cart/add', {
              method: 'POST',
              body: new URLSearchParams({ _csrf: token, item }),
              redirect: 'manual',
            })
          await Promise.all([add('jade-tile'), add('marble-tile')])
        })
        await ada.page.reload()
        expect(await ada.cart()).toEqual({
          'blue-tile': 1,
          'gold-tile': 1,
          'jade-tile': 1,
          'marble-tile': 1,
        })
        for (const item of ['jade-tile', 'marble-tile']) {
          await ada.submit(
            ada.page
              .locator(`.cart-line[data-item="${item}"]`)
              .getByRole('button', { name: 'Remove one' }),
          )
        }
        expect(await ada.cart()).toEqual({ 'blue-tile': 1, 'gold-tile': 1 })
        expect(await ada.page.locator('#cart-count').textContent()).toBe('2')
        await ada.screenshot('cart')
      })

      it.sequential('keeps the cart and the sign-in over a server restart', async ({ expect }) => {
        await server.restart() // same port, same SQLite file
        await ada.page.reload()
        expect(await ada.signedInAs()).toBe('ada')
        expect(await ada.cart()).toEqual({ 'blue-tile': 1, 'gold-tile': 1 })
      })

      it.sequential('refuses a form posted without its CSRF token (403 page)', async ({
        expect,
      }) => {
        await ada.page.evaluate(() => {
          for (const input of document.querySelectorAll('input[name="_csrf"]')) input.remove()
        })
        const [response] = await Promise.all([
          ada.page.waitForResponse((r) => r.url().endsWith('/cart/add')),
          ada.page.getByRole('button', { name: 'Add Jade tile' }).click(),
        ])
        expect(response.status()).toBe(403)
        await ada.page.waitForLoadState('domcontentloaded')
        expect(await ada.heading()).toBe('403 · Forbidden')
        expect(await ada.page.locator('#error-message').textContent()).toContain('CSRF')
        await ada.screenshot('csrf-refused')
        await ada.goto('/cart')
        expect(await ada.cart()).toEqual({ 'blue-tile': 1, 'gold-tile': 1 })
      })

      it.sequential('answers 403 on /admin to a user, the dashboard to the admin', async ({
        expect,
      }) => {
        expect((await ada.goto('/admin')).status()).toBe(403)
        expect(await ada.heading()).toBe('403 · Forbidden')

        expect((await laptop.goto('/admin')).url()).toBe(`${server.url}/login`)
        await laptop.login('admin', ADMIN_PASSWORD)
        expect((await laptop.goto('/admin')).status()).toBe(200)
        expect(await laptop.heading()).toBe('Admin dashboard')
        const usernames = await laptop.page
          .locator('section.user')
          .evaluateAll((sections) => sections.map((s) => s.getAttribute('data-username')))
        expect(usernames).toEqual(['admin', 'user', 'ada'])
        const adasSessions = laptop.page.locator('section.user[data-username="ada"] tr.session')
        expect(await adasSessions.count()).toBe(1)
        await laptop.screenshot('admin')
        await laptop.logout()
      })

      it.sequential("lists a second browser's session; revoked, it is signed out", async ({
        expect,
      }) => {
        await laptop.login(ADA.username, ADA.password)
        expect(await laptop.signedInAs()).toBe('ada')

        await ada.goto('/sessions')
        const rows = ada.page.locator('tr.session')
        expect(await rows.count()).toBe(2)
        const current = ada.page.locator('tr.session.current')
        expect(await current.count()).toBe(1)
        expect(await current.locator('td').first().textContent()).toMatch(/Chrome \d+ on Linux/)
        expect(await current.textContent()).toContain('This device')
        await ada.screenshot('sessions')

        await ada.submit(
          ada.page.locator('tr.session:not(.current)').getByRole('button', { name: 'Revoke' }),
        )
        expect(await ada.flash()).toContain('Session revoked.')
        expect(await rows.count()).toBe(1)

        // The revoked browser's very next request is signed out.
        await laptop.page.reload()
        expect(await laptop.signedInAs()).toBeNull()
        expect((await laptop.goto('/sessions')).url()).toBe(`${server.url}/login`)
      })

      it.sequential('"Sign out everywhere else" signs out every other device', async ({
        expect,
      }) => {
        await laptop.login(ADA.username, ADA.password)
        const phone = await httpLogin(server.url, ADA.username, ADA.password)
        await ada.goto('/sessions')
        expect(await ada.page.locator('tr.session').count()).toBe(3)
        await ada.submit(ada.page.getByRole('button', { name: 'Sign out everywhere else' }))
        expect(await ada.flash()).toContain('Signed out 2 other session(s).')
        expect(await ada.page.locator('tr.session').count()).toBe(1)

        await laptop.goto('/cart')
        expect(await laptop.signedInAs()).toBeNull()
        expect((await replay(server.url, '/sessions', phone)).status).toBe(302)
        await ada.goto('/cart')
        expect(await ada.signedInAs()).toBe('ada')
      })

      it.sequential('a password change signs out the other sessions', async ({ expect }) => {
        await laptop.login(ADA.username, ADA.password)
        expect(await laptop.signedInAs()).toBe('ada')
        await ada.goto('/password')
        const form = ada.page.locator('form[action="/password"]')
        await form.locator('input[name="password"]').fill(ADA.password)
        await form.locator('input[name="newPassword"]').fill('difference-engine')
        await ada.submit(form.getByRole('button', { name: 'Change password' }))
        expect(await ada.flash()).toContain('Password changed; 1 other session(s) signed out.')
        expect(await ada.signedInAs()).toBe('ada')

        await laptop.page.reload()
        expect(await laptop.signedInAs()).toBeNull()
        await laptop.login(ADA.username, ADA.password)
        expect(await laptop.flash()).toContain('Wrong username or password.')
        expect(await laptop.signedInAs()).toBeNull()
      })

      it.sequential('logout ends the session: the old cookie, replayed, is signed out', async ({
        expect,
      }) => {
        const signedIn = await ada.sessionCookie()
        expect(signedIn).toBeDefined()
        expect(await (await replay(server.url, '/', signedIn!)).text()).toContain('Signed in as')

        await ada.logout()
        expect(await ada.signedInAs()).toBeNull()
        expect(await ada.flash()).toContain('You are signed out.')
        expect(await ada.sessionCookie()).not.toBe(signedIn)

        const sessions = await replay(server.url, '/sessions', signedIn!)
        expect(sessions.status).toBe(302)
        expect(sessions.headers.get('location')).toMatch(/\/login$/)
        const home = await (await replay(server.url, '/', signedIn!)).text()
        expect(home).not.toContain('Signed in as')
        expect(home).toContain('Welcome, Guest')

        if (demo === 'express' && process.env.UPDATE_SCREENSHOTS === '1') {
          // The README shows these: `UPDATE_SCREENSHOTS=1 npm test` refreshes them (every
          // run would leave the committed PNGs modified by a few bytes of rendering noise).
          mkdirSync(DOCS_SCREENSHOTS, { recursive: true })
          for (const name of ['home', 'cart', 'sessions']) {
            copyFileSync(
              join(artifacts, `${name}.png`),
              join(DOCS_SCREENSHOTS, `express-${name}.png`),
            )
          }
        }
      })
    })
  }
})

const VARIANTS: ReadonlyArray<[string, () => Promise<StoreVariant | null>]> = [
  ['Redis', redisVariant],
  ['PostgreSQL', postgresVariant],
  ['MariaDB', mariadbVariant],
  ['the file store', async () => fileVariant()],
]

// Each with its own key prefix, table or folder on the shared servers, removed afterwards.
describe.skipIf(!hasChromium)('the Express demo on each session store', () => {
  for (const [name, makeVariant] of VARIANTS) {
    describe.concurrent(name, () => {
      let variant: StoreVariant | null = null
      let server: DemoServer | null = null

      beforeAll(async () => {
        variant = await makeVariant()
        if (variant) server = new DemoServer('express', variant.env)
      })
      afterAll(async () => {
        await server?.dispose()
        await variant?.cleanup()
      })

      it.sequential('signs in, keeps two cart items over a reload and a restart, logs out', async ({
        expect,
        skip,
      }) => {
        if (!variant || !server) return skip(`${name} is not available (see the line above)`)
        await server.start()
        expect(server.output).toContain(`Sessions: ${variant.label}`)
        const user = await DemoBrowser.open(
          browser,
          server.url,
          join(ARTIFACTS, `express-${variant.id}`),
        )
        try {
          await user.login('user', USER_PASSWORD)
          expect(await user.signedInAs()).toBe('user')
          await user.addToCart('Terracotta tile')
          await user.addToCart('Marble tile')
          expect(await user.cart()).toEqual({ 'terracotta-tile': 1, 'marble-tile': 1 })
          // The sessions are really in that store.
          expect(await variant.records()).toBeGreaterThan(0)

          await user.page.reload()
          expect(await user.cart()).toEqual({ 'terracotta-tile': 1, 'marble-tile': 1 })
          await server.restart()
          await user.page.reload()
          expect(await user.signedInAs()).toBe('user')
          expect(await user.cart()).toEqual({ 'terracotta-tile': 1, 'marble-tile': 1 })
          await user.goto('/sessions')
          expect(await user.page.locator('tr.session').count()).toBe(1)
          await user.screenshot('sessions')

          const signedIn = (await user.sessionCookie())!
          await user.logout()
          expect(await user.signedInAs()).toBeNull()
          expect((await replay(server.url, '/sessions', signedIn)).status).toBe(302)
          const home = await (await replay(server.url, '/', signedIn)).text()
          expect(home).not.toContain('Signed in as')
        } finally {
          await user.close()
        }
      })
    })
  }
})
