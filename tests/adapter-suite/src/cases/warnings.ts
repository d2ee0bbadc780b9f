/** Runs `body` with `process.emitWarning` captured; returns the warnings' codes and messages. */
export async function captureWarnings(
  body: () => Promise<void>,
): Promise<Array<{ code: string | undefined; message: string }>> {
  const warnings: Array<{ code: string | undefined; message: string }> = []
  const original = process.emitWarning
  process.emitWarning = ((warning: string | Error, options?: { code?: string } | string) => {
    const code = typeof options === 'object' ? options.code : undefined
    warnings.push({ code, message: String(warning) })
  }) as typeof process.emitWarning
  try {
    await body()
  } finally {
    process.emitWarning = original
  }
  return warnings
}
