import type { EngineContext } from '../engine/engine-context.js'
import { MAX_USER_AGENT, type SessionState } from './session-state.js'

/**
 * `trackIp` and `binding`: a loaded session against the request's user agent and IP. A
 * mismatch fires `binding`; under `'reject'` the request gets no session (the session stays
 * for the device it belongs to). A new address is remembered as the last seen one.
 */
export function compareDevice(
  ctx: EngineContext,
  state: SessionState,
  userAgent: string | null | undefined,
  clientIp: (() => string | null | undefined) | undefined,
): void {
  const { binding, trackIp } = ctx.options
  if (!trackIp && binding.userAgent === 'off') return
  if (state.stored === null) return
  const meta = state.meta
  let reject = false
  const mismatch = (attribute: 'userAgent' | 'ip', action: 'warn' | 'reject') => {
    reject ||= action === 'reject'
    const event = { key: state.key as string, userId: state.userId, attribute }
    ctx.emit('binding', { ...event, rejected: action === 'reject' })
  }
  if (binding.userAgent !== 'off' && typeof meta.a === 'string') {
    const agent = (userAgent ?? '').slice(0, MAX_USER_AGENT)
    if (agent !== meta.a) mismatch('userAgent', binding.userAgent)
  }
  const ip = trackIp ? clientIp?.()?.slice(0, 64) : undefined
  if (ip) {
    if (binding.ip !== 'off' && meta.p !== undefined && ip !== meta.p) mismatch('ip', binding.ip)
    // Last seen from another address: remember it (a write only when it changes).
    if (!reject && ip !== (meta.q ?? meta.p)) {
      if (meta.p === undefined) meta.p = ip
      else meta.q = ip
      state.changes.metaChanged = true
    }
  }
  if (reject) state.becomeEmpty()
}
