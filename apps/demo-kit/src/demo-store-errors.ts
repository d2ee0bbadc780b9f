import { TesseraError } from '@tessera/core'

/** The session store `SESSION_STORE` names could not be reached or set up at start. */
export class DemoStoreUnreachableError extends TesseraError<'DEMO_STORE_UNREACHABLE'> {
  /** The store, as the start-up line describes it (passwords masked). */
  readonly store: string
  constructor(store: string, cause: unknown) {
    super(
      'DEMO_STORE_UNREACHABLE',
      `Could not open the session store ${store}: ${cause instanceof Error ? cause.message : String(cause)}. Start that server, or point SESSION_STORE elsewhere (unset: SQLite).`,
      { cause },
    )
    this.store = store
  }
}
