import type { SessionOptions } from '@tessera/core'

/**
 * What one framework adapter provides to the shared behaviour suite: an app on 127.0.0.1
 * with the standard routes below, built with that adapter's `session()` (given `options`
 * unchanged) and `csrf()` (default options).
 *
 * Standard routes (all answer JSON unless said otherwise):
 * - `GET  /noop`                  never touches the session; `{ ok: true }`
 * - `POST /with-app-headers`      sets `Vary: Accept-Encoding`, a `theme=dark; Path=/` cookie and
 *                                 `Cache-Control: public, max-age=600` the framework's way,
 *                                 then `session.set('marked', 'yes')`; `{ ok: true }`
 * - `GET  /get?key=k`             `{ value: session.get(k) ?? null, id: session.id, isNew }`
 * - `POST /set?key=k&value=v`     `session.set(k, v)` (v as a string); `{ ok: true }`
 * - `POST /append?item=x`         `session.update('cart', c => [...(c ?? []), x])`; `{ ok: true }`
 * - `POST /push?item=x`           nested mutation: `(session.get('cart') ?? set []).push(x)`; `{ ok: true }`
 * - `POST /login?user=u`          `await session.login(u)`; `{ id: session.id }`
 * - `POST /logout`                `await session.logout()`; `{ ok: true }`
 * - `POST /destroy`               `await session.destroy()`; `{ ok: true }`
 * - `GET  /whoami`                `{ userId: session.userId }`
 * - `GET  /write-and-redirect`    sets `flag` to `'written'`, then 302 to `/get?key=flag`
 * - `GET  /boom`                  sets `lost` to `'yes'`, then answers 500
 * - `GET  /csrf-token`            `{ token: session.csrfToken() }`
 * - `POST /protected`             behind the adapter's `csrf()`; `{ ok: true }`. The suite sends
 *                                 the token in the `x-csrf-token` header (with a JSON body) or
 *                                 in the `_csrf` field of an `application/x-www-form-urlencoded`
 *                                 body; the app mounts no body parser of its own for this route,
 *                                 so `csrf()` must read urlencoded forms itself.
 * - `POST /flash?message=m`       `session.flash('info', m)`; `{ ok: true }`
 * - `GET  /flash`                 `{ messages: session.takeFlash('info') }`
 * - `POST /set-json?key=k&value=j` `session.set(k, JSON.parse(j))`; `{ ok: true }`
 * - `GET  /members`               `{ members: { [m]: typeof session[m] } }` for every name in
 *                                 core's `SESSION_MEMBERS`, read through the adapter's own
 *                                 accessor (`req.session`, `ctx.session`, `c.var.session`)
 * - `POST /regenerate[?keep=1]`   `await session.regenerate()` (with `{ keepData: true }` for
 *                                 `keep=1`); `{ id: session.id }`
 * - `POST /exclusive-count`     behind the adapter's `exclusive({ wait: '20s' })`: reads
 *                                 `count`, waits 3 ms, sets `count + 1` (a plain set);
 *                                 `{ overlapped }`: whether another request was inside meanwhile
 * - `GET  /fresh`                 behind `requireFresh('1m')`; `{ ok: true }`
 * - `GET  /fresh-redirect`        behind `requireFresh('1m', { redirect: '/sign-in' })`; `{ ok: true }`
 * - `GET  /unmounted`             mounted BEFORE `session()`: reads `session.get('x')` through
 *                                 the adapter's accessor; the error goes to error handling
 * - `GET  /nested/get?key=k`      like `/get`, behind a SECOND `session()` mounted for `/nested`
 *                                 only (a router, or a path-scoped middleware), made with the
 *                                 same options but cookie name `nested.sid`
 *
 * Requirements on the app as a whole:
 * - Errors from the session (store failures, CSRF) go through the framework's own error
 *   handling, which must answer with the error's `status` (503 for `SessionStoreError`, 403 for
 *   `CsrfTokenError`). A store failure while saving after the route finished must also end in
 *   a 503 (the adapter answers itself if it has to), within `storeTimeout` plus a little.
 * - The app trusts `X-Forwarded-Proto` from 127.0.0.1 (Express `trust proxy`, Koa
 *   `app.proxy = true`): the suite sends `X-Forwarded-Proto: https` to test the default
 *   `Secure` cookie over plain HTTP. Adapters that never withhold `Secure` cookies ignore it.
 * - `close()` ends keep-alive connections too (the suite's `fetch` keeps them open).
 * - `errors` collects every error the framework's error handling saw (Express's error
 *   middleware, Koa's `'error'` event, Hono's `onError`), in order.
 */
export interface AdapterHarness {
  /** e.g. `'express 5'`, `'koa 2'`, `'hono (node-server)'`. */
  name: string
  start(options: SessionOptions): Promise<RunningApp>
}

export interface RunningApp {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** Errors the framework's error handling saw (see {@link AdapterHarness}). */
  errors: unknown[]
  close(): Promise<void>
}
