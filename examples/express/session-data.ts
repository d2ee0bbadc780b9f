// Typed session data for every Express example: declaration merging, as with express-session.
// #region session-data
declare module '@tessera/express' {
  interface SessionData {
    views: number
    cart: string[]
  }
}

// #endregion session-data

export {}
