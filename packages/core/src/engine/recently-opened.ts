/**
 * What recently opened seals decrypted to, oldest first, within a budget: each entry costs
 * `sizeOf(key, value)`, and once the budget is spent the oldest entries go first. An entry
 * larger than a sixteenth of the budget is not kept (it would push out many others). Setting
 * a key again replaces its entry and makes it the newest. Sealed cookies and encrypted
 * payloads use it, so a value read request after request is decrypted once.
 */
export class RecentlyOpened<Value> {
  private readonly entries = new Map<string, Value>()
  private used = 0

  constructor(
    private readonly budget: number,
    private readonly sizeOf: (key: string, value: Value) => number,
  ) {}

  get(key: string): Value | undefined {
    return this.entries.get(key)
  }

  set(key: string, value: Value): void {
    const entries = this.entries
    const previous = entries.get(key)
    if (previous !== undefined) {
      entries.delete(key)
      this.used -= this.sizeOf(key, previous)
    }
    const size = this.sizeOf(key, value)
    if (size * 16 > this.budget) return
    for (const [oldest, entry] of entries) {
      if (this.used + size <= this.budget) break
      entries.delete(oldest)
      this.used -= this.sizeOf(oldest, entry)
    }
    entries.set(key, value)
    this.used += size
  }
}
