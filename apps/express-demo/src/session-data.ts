import type { DemoSession, DemoUser } from '@tessera/demo-kit'

// Types req.session (as with express-session) and req.user (as with passport).
declare module '@tessera/express' {
  interface SessionData extends DemoSession {
    /** Written by passport: the signed-in user's id. */
    passport: { user?: string }
  }
}

declare global {
  namespace Express {
    interface User extends DemoUser {}
  }
}
