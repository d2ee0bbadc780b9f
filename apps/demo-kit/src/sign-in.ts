/** The part of a session {@link signIn} uses: what every Tessera adapter's session has. */
export interface SignInSession<Data extends object> {
  all(): Partial<Data>
  has(key: keyof Data & string): boolean
  set<K extends keyof Data & string>(key: K, value: Data[K]): void
  login(userId: string): Promise<void>
}

/**
 * `session.login(userId)` (new id, old record deleted, session indexed under the user for
 * "your sessions" and the admin page) that keeps what the visitor had before signing in:
 * theme, name and cart, and under passport the `passport` key it has just written. The demo
 * carries the keys across itself rather than rely on whether `login()` keeps data.
 */
export async function signIn<Data extends object>(
  session: SignInSession<Data>,
  userId: string,
): Promise<void> {
  const carried = session.all()
  await session.login(userId)
  for (const key of Object.keys(carried) as Array<keyof Data & string>) {
    if (!session.has(key)) session.set(key, carried[key] as Data[typeof key])
  }
}
