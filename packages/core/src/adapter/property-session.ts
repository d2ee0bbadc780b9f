import type { Session, SessionData } from '../session/session.js'

/**
 * A {@link Session} with property access to its data: `s.views = 1` is `set('views', 1)`,
 * `s.views` is `get('views')`, `delete s.views` is `delete('views')`, and `Object.keys`,
 * spread and `JSON.stringify` see the data. Nested mutation (`s.cart.push(x)`) is saved.
 *
 * Session members take priority over data keys: a key named like a member (`id`, `get`,
 * `save`, …) is reachable through `get()`/`set()` only.
 */
export type PropertySession<Data extends object = SessionData> = Session<Data> &
  Omit<Partial<Data>, keyof Session<Data> | 'toJSON'> & {
    /** The data as a plain object, so `JSON.stringify(ctx.session)` prints it. */
    toJSON(): Partial<Data>
  }

/**
 * Wraps a session in the proxy of {@link PropertySession}; `accessor` (`ctx.session`) is how
 * its errors name it.
 */
export function createPropertySession<Data extends object>(
  session: Session<Data>,
  accessor: string,
): PropertySession<Data> {
  const target = session as unknown as Record<PropertyKey, unknown>
  const methods = new Map<PropertyKey, unknown>()
  const dataKeys = session as unknown as Session<SessionData>
  const toJSON = () => session.all()

  const member = (property: PropertyKey): unknown => {
    if (property === 'toJSON') return toJSON
    const cached = methods.get(property)
    if (cached !== undefined) return cached
    const value = Reflect.get(target, property, target)
    if (typeof value !== 'function') return value
    const bound = (value as (...args: unknown[]) => unknown).bind(target)
    methods.set(property, bound)
    return bound
  }
  const isMember = (property: PropertyKey): boolean =>
    typeof property === 'symbol' || property === 'toJSON' || property in target

  return new Proxy(target, {
    get(_, property) {
      if (isMember(property)) return member(property)
      return dataKeys.get(property as string)
    },
    set(_, property, value) {
      if (isMember(property)) throw memberError(accessor, property)
      dataKeys.set(property as string, value)
      return true
    },
    deleteProperty(_, property) {
      if (isMember(property)) throw memberError(accessor, property)
      dataKeys.delete(property as string)
      return true
    },
    has(_, property) {
      return isMember(property) || dataKeys.has(property as string)
    },
    ownKeys() {
      return dataKeys.keys()
    },
    getOwnPropertyDescriptor(_, property) {
      if (isMember(property) || !dataKeys.has(property as string)) return undefined
      return {
        value: dataKeys.get(property as string),
        writable: true,
        enumerable: true,
        configurable: true,
      }
    },
    defineProperty(_, property, descriptor) {
      if (isMember(property) || !('value' in descriptor)) throw memberError(accessor, property)
      dataKeys.set(property as string, descriptor.value)
      return true
    },
  }) as unknown as PropertySession<Data>
}

function memberError(accessor: string, property: PropertyKey): TypeError {
  return new TypeError(
    `${accessor}.${String(property)} is a session member, not data. Use ${accessor}.set(${JSON.stringify(String(property))}, value) to store a key of that name.`,
  )
}
