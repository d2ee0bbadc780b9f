import type { SessionStore } from '@tessera/core'

/**
 * Engine-level cases that run through the store under test (lost updates, concurrent keys,
 * commit racing destroy). Filled in by the engine work; describeStore calls it.
 */
export function describeEngineCases(_makeStore: () => SessionStore | Promise<SessionStore>): void {}
