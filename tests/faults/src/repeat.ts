/**
 * Runs `action` now and then every `everyMs` until `stop()` (which waits for a run in
 * progress); errors of single runs are collected, not thrown: a fault injector keeps going.
 */
export function repeatEvery(
  everyMs: number,
  action: () => Promise<unknown>,
): { readonly runs: number; readonly errors: unknown[]; stop(): Promise<void> } {
  const errors: unknown[] = []
  let runs = 0
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      try {
        await action()
        runs++
      } catch (error) {
        errors.push(error)
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs))
    }
  })()
  return {
    get runs() {
      return runs
    },
    errors,
    async stop() {
      stopped = true
      await loop
    },
  }
}

/**
 * A fault that is an action repeated while it stands (terminate the backends, kill the
 * connections): `inject` starts repeating `action` every `everyMs`, `repair` stops it.
 */
export function repeatedFault(
  everyMs: number,
  action: () => Promise<unknown>,
): { inject(): Promise<void>; repair(): Promise<void>; readonly errors: unknown[] } {
  let running: ReturnType<typeof repeatEvery> | undefined
  const errors: unknown[] = []
  return {
    errors,
    async inject() {
      running = repeatEvery(everyMs, action)
    },
    async repair() {
      await running?.stop()
      errors.push(...(running?.errors ?? []))
    },
  }
}
