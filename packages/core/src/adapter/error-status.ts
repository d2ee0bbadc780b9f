/**
 * The HTTP status an error asks for (`status` or `statusCode`, as Express, Koa and Hono read
 * them: Tessera's errors carry both), or 500 for anything else.
 */
export function errorStatus(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const { status, statusCode } = error as { status?: unknown; statusCode?: unknown }
    const value = typeof status === 'number' ? status : statusCode
    if (typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599) {
      return value
    }
  }
  return 500
}
