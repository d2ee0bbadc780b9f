import type { SessionEngine } from '../engine/session-engine.js'
import { isSessionEngine } from './engine-from.js'

/**
 * Splits what an adapter's `session(options | engine, adapterOptions)` was given: the
 * adapter's own option `names` come off `options` (where they win over `adapterOptions`),
 * the rest is for the engine. Given an engine, only `adapterOptions` count.
 */
export function splitAdapterOptions<
  Data extends object,
  Adapter extends object,
  Options extends Adapter,
>(
  options: Options | SessionEngine<Data>,
  adapterOptions: Adapter,
  names: readonly (keyof Adapter)[],
): { forEngine: Omit<Options, keyof Adapter> | SessionEngine<Data>; adapter: Adapter } {
  const adapter = { ...adapterOptions }
  if (isSessionEngine<Data>(options)) return { forEngine: options, adapter }
  const forEngine = { ...(options ?? {}) } as Record<keyof Adapter, unknown>
  for (const name of names) {
    const value = forEngine[name]
    delete forEngine[name]
    if (value !== undefined) adapter[name] = value as Adapter[keyof Adapter]
  }
  return { forEngine: forEngine as unknown as Omit<Options, keyof Adapter>, adapter }
}
