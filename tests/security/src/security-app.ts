import type { SessionEngine, SessionOptions } from '@tessera/core'

/** An app serving the {@link securityRoutes} on 127.0.0.1, as a framework runs them. */
export interface SecurityApp {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** The engine behind the app's `session()` middleware (for administration calls). */
  readonly engine: SessionEngine
  /** Every error the framework's own error handling (or the adapter's `onError`) saw. */
  readonly errors: unknown[]
  /** Stops listening and ends keep-alive connections. */
  close(): Promise<void>
}

/** One framework adapter: builds its app from session options and starts it. */
export interface SecurityAdapter {
  /** e.g. `'express 5'`. */
  readonly name: string
  /** Short name for tables and figures, e.g. `'express'`. */
  readonly id: 'express' | 'koa' | 'hono'
  /** Builds the app with the adapter's `session(options)` and listens on 127.0.0.1. */
  start(options: SessionOptions): Promise<SecurityApp>
}
