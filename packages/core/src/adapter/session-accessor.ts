/**
 * Defines `session` on a framework's request or context prototype, so every request
 * inherits the accessor and none pays for an `Object.defineProperty` of its own; `get` can
 * throw a `SessionMiddlewareMissingError` naming the fix where `session()` did not run,
 * instead of a raw `TypeError` on `undefined`. Each adapter remembers which prototypes it
 * guarded itself: two copies of one adapter must not take each other's accessor for theirs.
 */
export function defineSessionAccessor<Target>(
  prototype: object,
  access: { get(this: Target): unknown; set(this: Target, value: unknown): void },
): void {
  Object.defineProperty(prototype, 'session', {
    configurable: true,
    enumerable: true,
    get: access.get,
    set: access.set,
  })
}
