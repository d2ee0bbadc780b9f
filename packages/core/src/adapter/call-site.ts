/** Frames of Tessera's own code (published packages or this workspace), skipped when naming a caller. */
const OWN_FRAME = /[\\/](?:@tessera[\\/]|packages[\\/](?:core|express|koa|hono)[\\/])/

/**
 * Where the app called into Tessera: the first stack frame outside Tessera's packages, as
 * `file:line:column`, or null when the runtime gives no stack. Captured once when a
 * middleware is created, so a warning can name the mount it is about.
 */
export function callSite(): string | null {
  const stack = new Error().stack
  if (!stack) return null
  for (const line of stack.split('\n').slice(1)) {
    const frame = line.trim()
    if (!frame.startsWith('at ') || OWN_FRAME.test(frame) || frame.includes('node:internal'))
      continue
    const location = /\(([^()]+)\)$/.exec(frame)?.[1] ?? frame.slice(3)
    return location.replace(/^file:\/\//, '')
  }
  return null
}

/** A `session()` mount as warnings name it: where it was created, and what it serves. */
export function describeMount(site: string | null, where: string): string {
  return site ? `the session() created at ${site} (${where})` : `a session() (${where})`
}
