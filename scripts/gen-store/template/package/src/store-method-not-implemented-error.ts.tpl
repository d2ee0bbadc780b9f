import { type SessionStore, TesseraError } from '@tessera/core'

/**
 * Scaffolding from `pnpm gen store {{name}}`: what each {@link {{Name}}Store} method throws
 * until it is written. Delete this file once the conformance suite passes.
 */
export class StoreMethodNotImplementedError extends TesseraError<'STORE_METHOD_NOT_IMPLEMENTED'> {
  /** The method that was called. */
  readonly method: keyof SessionStore

  constructor(method: keyof SessionStore) {
    super(
      'STORE_METHOD_NOT_IMPLEMENTED',
      `{{Name}}Store.${method}() is not implemented yet. Write it in packages/{{name}}/src/{{name}}-store.ts: CONTRIBUTING.md ("Write a store") says what it must guarantee, and \`pnpm --filter @tessera/{{name}} test\` runs the conformance suite against it.`,
    )
    this.method = method
  }
}
