/** Emits a process warning (or `console.warn` off Node) once per code. */
export type WarnOnce = (code: string, message: string) => void

/**
 * A warn-once function for one middleware: each code warns once per middleware instance,
 * through `process.emitWarning` where it exists (so `--no-warnings` and warning listeners
 * apply), else `console.warn`.
 */
export function createWarnOnce(): WarnOnce {
  const warned = new Set<string>()
  return (code, message) => {
    if (warned.has(code)) return
    warned.add(code)
    const emit = globalThis.process?.emitWarning
    if (typeof emit === 'function') emit.call(globalThis.process, message, { code })
    else console.warn(`${code}: ${message}`)
  }
}
