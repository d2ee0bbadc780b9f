/** What the process printed through `console` and `process.emitWarning` while capturing. */
export interface CapturedLogs {
  readonly lines: string[]
  stop(): void
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const

/**
 * Records every `console` call and process warning (as text, errors with their stacks)
 * until `stop()`, and still lets them through. For checking what a library writes to logs.
 */
export function captureLogs(): CapturedLogs {
  const lines: string[] = []
  const restores: Array<() => void> = []
  for (const method of CONSOLE_METHODS) {
    const original = console[method]
    console[method] = (...args: unknown[]) => {
      lines.push(args.map(describe).join(' '))
      original.apply(console, args)
    }
    restores.push(() => {
      console[method] = original
    })
  }
  const onWarning = (warning: Error) => lines.push(describe(warning))
  process.on('warning', onWarning)
  restores.push(() => process.off('warning', onWarning))
  return {
    lines,
    stop() {
      for (const restore of restores.splice(0)) restore()
    },
  }
}

/** Text of a logged value: an error with its message, stack, cause and own fields. */
export function describe(value: unknown): string {
  if (value instanceof Error) {
    let own = ''
    try {
      own = JSON.stringify(value)
    } catch {
      own = ''
    }
    return [value.name, value.message, value.stack, own, describeCause(value.cause)].join('\n')
  }
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

function describeCause(cause: unknown): string {
  return cause === undefined ? '' : describe(cause)
}
