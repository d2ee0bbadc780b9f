import { MemoryStore, type SessionOptions } from '@tessera/core'
import { expect } from 'vitest'
import type { AdapterHarness, RunningApp } from '../adapter-harness.js'
import { type SendOptions, send } from '../cookie-jar.js'

/** The secret the suite's sessions are signed with (tests forge cookies with it). */
export const SUITE_SECRET = 'adapter-suite-secret-that-is-long-enough-0123456789'
export const COOKIE = 'tessera.sid'
export const SIGNED_ID = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/

/** One started app, as the cases drive it. */
export interface SuiteApp {
  url: string
  /** Errors the framework's error handling saw. */
  errors: unknown[]
  call(path: string, init?: SendOptions): Promise<Response>
  /** A request that must answer 200; its JSON body. */
  json<T = Record<string, unknown>>(path: string, init?: SendOptions): Promise<T>
}

/** What every group of cases gets: a way to start the harness's app. */
export interface SuiteContext {
  /** Starts the app; `cookie: { secure: false }` unless the case passes cookie options itself. */
  start(options?: Partial<SessionOptions>): Promise<SuiteApp>
}

/** The context of one harness: apps started by a case are closed after it. */
export function suiteContext(harness: AdapterHarness, running: RunningApp[]): SuiteContext {
  return {
    async start(options = {}) {
      const app = await harness.start({
        secret: SUITE_SECRET,
        store: new MemoryStore(),
        cookie: { secure: false },
        ...options,
      })
      running.push(app)
      const call = (path: string, init: SendOptions = {}) => send(app.url, path, init)
      const json = async <T = Record<string, unknown>>(path: string, init: SendOptions = {}) => {
        const response = await call(path, init)
        expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(200)
        return (await response.json()) as T
      }
      return { url: app.url, errors: app.errors, call, json }
    },
  }
}
