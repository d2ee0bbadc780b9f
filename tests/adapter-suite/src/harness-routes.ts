import type { Session, SessionData } from '@tessera/core'

/**
 * The body of the standard `POST /exclusive-count` route, for harnesses to mount behind their
 * adapter's `exclusive()`: reads `count`, waits 3 ms, sets `count + 1` with a plain set, and
 * says whether another request of this counter was inside meanwhile (one counter per app).
 */
export function exclusiveCounter(): (session: object) => Promise<{ overlapped: boolean }> {
  let inside = 0
  // Any adapter's session, whatever its data type: the route only uses its own `count` key.
  return async (anySession) => {
    const session = anySession as Session<SessionData>
    inside++
    const overlapped = inside > 1
    const count = Number(session.get('count') ?? 0)
    await new Promise((resolve) => setTimeout(resolve, 3))
    session.set('count', count + 1)
    inside--
    return { overlapped }
  }
}
