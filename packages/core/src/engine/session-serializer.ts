/**
 * Turns session data into the payload text and back. The default is JSON. Whatever `parse`
 * returns must be a plain object of top-level keys; anything else is treated as no session.
 *
 * @example
 * ```ts
 * import superjson from 'superjson'
 * createSessionEngine({ secret, serializer: { stringify: superjson.stringify, parse: superjson.parse } })
 * ```
 */
export interface SessionSerializer {
  stringify(value: unknown): string
  parse(text: string): unknown
}

export const jsonSerializer: SessionSerializer = {
  stringify: (value) => JSON.stringify(value),
  parse: (text) => JSON.parse(text),
}
