const defined = new WeakSet<object>()

/**
 * Defines `session` on a framework's request or context prototype (once per prototype; false
 * when it was already there): every request inherits the accessor, so none pays for an
 * `Object.defineProperty` of its own, and `get` can throw a `SessionMiddlewareMissingError`
 * naming the fix where `session()` did not run, instead of a raw `TypeError` on `undefined`.
 */
export function defineSessionAccessor<Target>(
  prototype: object,
  access: { get(this: Target): unknown; set(this: Target, value: unknown): void },
): boolean {
  if (defined.has(prototype)) return false
  defined.add(prototype)
  Object.defineProperty(prototype, 'session', {
    configurable: true,
    enumerable: true,
    get: access.get,
    set: access.set,
  })
  return true
}
