import type { SessionOptions } from '@tessera/core'

/**
 * What one framework adapter provides to the shared behaviour suite: an app on 127.0.0.1
 * with the standard routes below, built with that adapter's `session()` (and `csrf()`).
 *
 * Standard routes (all answer JSON unless said otherwise):
 * - `GET  /noop`                  never touches the session; `{ ok: true }`
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
 * - `POST /protected`             behind the adapter's `csrf()`; `{ ok: true }` (form or JSON body)
 * - `POST /flash?message=m`       `session.flash('info', m)`; `{ ok: true }`
 * - `GET  /flash`                 `{ messages: session.takeFlash('info') }`
 *
 * Errors from the session (store failures) go through the framework's own error handling,
 * which must answer with the error's status (503 for `SessionStoreError`).
 */
export interface AdapterHarness {
  /** e.g. `'express 5'`, `'koa 2'`, `'hono (node-server)'`. */
  name: string
  start(options: SessionOptions): Promise<RunningApp>
}

export interface RunningApp {
  /** `http://127.0.0.1:<port>` */
  url: string
  close(): Promise<void>
}
