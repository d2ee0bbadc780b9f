/**
 * Session data and flash keys are chosen by apps (and often by their users), so a key may be
 * `__proto__`. Plain assignment to that key replaces the object's prototype instead of storing
 * a value; these helpers keep every key an own data property, as `JSON.parse` makes them.
 */

/** Sets `key` on `record` as an own, enumerable data property, `__proto__` included. */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    })
  } else {
    record[key] = value
  }
}

/** The own value under `key`, never one inherited from the prototype chain. */
export function getOwn<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}
