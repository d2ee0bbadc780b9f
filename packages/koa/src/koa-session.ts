import type { Session, SessionData } from '@tessera/core'

/**
 * `ctx.session`: the {@link Session} of every Tessera adapter, plus koa-session's property
 * access. `ctx.session.views = 1` is `set('views', 1)`, `ctx.session.views` is `get('views')`,
 * `delete ctx.session.views` is `delete('views')`, and `Object.keys`, spread and
 * `JSON.stringify` see the data. Nested mutation (`ctx.session.cart.push(x)`) is saved.
 *
 * Session members take priority over data keys: a key named like a member (`id`, `get`,
 * `save`, …) is reachable through `get()`/`set()` only.
 */
export type KoaSession<Data extends object = SessionData> = Session<Data> &
  Omit<Partial<Data>, keyof Session<Data> | 'toJSON'> & {
    /** The data as a plain object, so `JSON.stringify(ctx.session)` prints it. */
    toJSON(): Partial<Data>
  }

/** Wraps a core session in the property-access proxy of {@link KoaSession}. */
export function createKoaSession<Data extends object>(session: Session<Data>): KoaSession<Data> {
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
      if (isMember(property)) throw memberError(property)
      dataKeys.set(property as string, value)
      return true
    },
    deleteProperty(_, property) {
      if (isMember(property)) throw memberError(property)
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
      if (isMember(property) || !('value' in descriptor)) throw memberError(property)
      dataKeys.set(property as string, descriptor.value)
      return true
    },
  }) as unknown as KoaSession<Data>
}

function memberError(property: PropertyKey): TypeError {
  return new TypeError(
    `ctx.session.${String(property)} is a session member, not data. Use ctx.session.set(${JSON.stringify(String(property))}, value) to store a key of that name.`,
  )
}
