/**
 * A snapshot of `Object.prototype` (its own property names and descriptors) to compare
 * after hostile input: prototype pollution adds or replaces a property there.
 */
export class PrototypeGuard {
  readonly #names: string[]
  readonly #descriptors: Map<string, PropertyDescriptor>

  constructor() {
    this.#names = Reflect.ownKeys(Object.prototype).map(String).sort()
    this.#descriptors = new Map(
      this.#names.map((name) => [
        name,
        Object.getOwnPropertyDescriptor(Object.prototype, name) as PropertyDescriptor,
      ]),
    )
  }

  /** What changed on `Object.prototype` since the snapshot (empty when untouched). */
  changes(): string[] {
    const names = Reflect.ownKeys(Object.prototype).map(String).sort()
    const changes: string[] = []
    for (const name of names) {
      const before = this.#descriptors.get(name)
      const now = Object.getOwnPropertyDescriptor(Object.prototype, name)
      if (!before) changes.push(`added ${name}`)
      else if (before.value !== now?.value || before.get !== now?.get || before.set !== now?.set)
        changes.push(`replaced ${name}`)
    }
    for (const name of this.#names) if (!names.includes(name)) changes.push(`removed ${name}`)
    if (Object.getPrototypeOf({}) !== Object.prototype) changes.push('{} has another prototype')
    return changes
  }
}

/** Records uncaught exceptions and unhandled rejections until `stop()`. */
export function watchCrashes(): { readonly crashes: unknown[]; stop(): void } {
  const crashes: unknown[] = []
  const onCrash = (error: unknown) => crashes.push(error)
  process.on('uncaughtException', onCrash)
  process.on('unhandledRejection', onCrash)
  return {
    crashes,
    stop() {
      process.off('uncaughtException', onCrash)
      process.off('unhandledRejection', onCrash)
    },
  }
}
