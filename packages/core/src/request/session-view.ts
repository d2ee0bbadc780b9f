import type { ExclusiveOptions } from '../engine/exclusive-sections.js'
import type { SessionLifetime } from '../options/session-lifetime.js'
import type { Duration } from '../options/session-options.js'
import type { ReloadOptions } from '../session/reload-options.js'
import type { ActiveSession, LoginOptions, Session } from '../session/session.js'

/**
 * What {@link SessionView} forwards to: the request's session state, seen through the
 * untyped operations it implements (the view adds the `Data` typing).
 */
export interface SessionOperations {
  readonly sessionId: string
  readonly isNew: boolean
  readonly userId: string | null
  readonly createdAt: number
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
  has(key: string): boolean
  update(key: string, fn: (current: unknown) => unknown): unknown
  keys(): string[]
  all(): Record<string, unknown>
  clear(): void
  regenerate(options?: { keepData?: boolean }): Promise<void>
  destroy(): Promise<void>
  login(userId: string, options?: LoginOptions): Promise<void>
  readonly authenticatedAt: number | null
  isFresh(maxAge: Duration): boolean
  reauthenticated(): void
  setLifetime(lifetime: SessionLifetime | null): void
  readonly lifetime: Session['lifetime']
  logout(): Promise<void>
  reload(options?: ReloadOptions): Promise<void>
  save(): Promise<void>
  exclusive<T>(section: () => T | Promise<T>, options?: ExclusiveOptions): Promise<T>
  touch(): void
  flash(key: string, message: unknown): void
  takeFlash(key: string): unknown[]
  takeAllFlash(): Record<string, unknown[]>
  csrfToken(): string
  verifyCsrfToken(token: string | null | undefined): boolean
  listSessions(): Promise<ActiveSession[]>
  revokeSession(handle: string): Promise<boolean>
  revokeOtherSessions(): Promise<number>
  revokeAllSessions(): Promise<number>
}

/** The route-facing {@link Session}: a thin, typed view over the request's state. */
export class SessionView<Data extends object> implements Session<Data> {
  constructor(private readonly state: SessionOperations) {}
  get id(): string {
    return this.state.sessionId
  }
  get isNew(): boolean {
    return this.state.isNew
  }
  get userId(): string | null {
    return this.state.userId
  }
  get createdAt(): number {
    return this.state.createdAt
  }
  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    return this.state.get(key) as Data[K] | undefined
  }
  set<K extends keyof Data & string>(key: K, value: Data[K]): void {
    this.state.set(key, value)
  }
  delete<K extends keyof Data & string>(key: K): void {
    this.state.delete(key)
  }
  has<K extends keyof Data & string>(key: K): boolean {
    return this.state.has(key)
  }
  update<K extends keyof Data & string>(
    key: K,
    fn: (current: Data[K] | undefined) => Data[K],
  ): Data[K] {
    return this.state.update(key, fn as (current: unknown) => unknown) as Data[K]
  }
  all(): Partial<Data> {
    return this.state.all() as Partial<Data>
  }
  keys(): Array<keyof Data & string> {
    return this.state.keys() as Array<keyof Data & string>
  }
  clear(): void {
    this.state.clear()
  }
  regenerate(options?: { keepData?: boolean }): Promise<void> {
    return this.state.regenerate(options)
  }
  destroy(): Promise<void> {
    return this.state.destroy()
  }
  login(userId: string, options?: LoginOptions): Promise<void> {
    return this.state.login(userId, options)
  }
  get authenticatedAt(): number | null {
    return this.state.authenticatedAt
  }
  isFresh(maxAge: Duration): boolean {
    return this.state.isFresh(maxAge)
  }
  reauthenticated(): void {
    this.state.reauthenticated()
  }
  setLifetime(lifetime: SessionLifetime | null): void {
    this.state.setLifetime(lifetime)
  }
  get lifetime(): Session['lifetime'] {
    return this.state.lifetime
  }
  logout(): Promise<void> {
    return this.state.logout()
  }
  reload(options?: ReloadOptions): Promise<void> {
    return this.state.reload(options)
  }
  save(): Promise<void> {
    return this.state.save()
  }
  exclusive<T>(section: () => T | Promise<T>, options?: ExclusiveOptions): Promise<T> {
    return this.state.exclusive(section, options)
  }
  touch(): void {
    this.state.touch()
  }
  flash(key: string, message: unknown): void {
    this.state.flash(key, message)
  }
  takeFlash(key: string): unknown[] {
    return this.state.takeFlash(key)
  }
  takeAllFlash(): Record<string, unknown[]> {
    return this.state.takeAllFlash()
  }
  csrfToken(): string {
    return this.state.csrfToken()
  }
  verifyCsrfToken(token: string | null | undefined): boolean {
    return this.state.verifyCsrfToken(token)
  }
  listSessions(): Promise<ActiveSession[]> {
    return this.state.listSessions()
  }
  revokeSession(handle: string): Promise<boolean> {
    return this.state.revokeSession(handle)
  }
  revokeOtherSessions(): Promise<number> {
    return this.state.revokeOtherSessions()
  }
  revokeAllSessions(): Promise<number> {
    return this.state.revokeAllSessions()
  }
}
