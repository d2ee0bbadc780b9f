import type { SessionEventListener, SessionEventName, SessionEvents } from './session-events.js'

/** A tiny typed emitter: core runs on edge runtimes, so no `node:events`. */
export class SessionEventEmitter {
  private readonly listeners = new Map<SessionEventName, Set<(event: never) => void>>()

  on<E extends SessionEventName>(name: E, listener: SessionEventListener<E>): () => void {
    let set = this.listeners.get(name)
    if (!set) {
      set = new Set()
      this.listeners.set(name, set)
    }
    set.add(listener as (event: never) => void)
    return () => set.delete(listener as (event: never) => void)
  }

  /**
   * Listeners run synchronously; one that throws is skipped rather than failing the request
   * (auditing must not take the site down).
   */
  emit<E extends SessionEventName>(name: E, event: SessionEvents[E]): void {
    const set = this.listeners.get(name)
    if (!set) return
    for (const listener of set) {
      try {
        ;(listener as SessionEventListener<E>)(event)
      } catch {
        // deliberately ignored, see above
      }
    }
  }
}
