import type { CryptoProvider } from './crypto-provider.js'
import { createNodeCryptoProvider, type NodeCryptoModule } from './node-crypto-provider.js'
import { createWebCryptoProvider } from './web-crypto-provider.js'

interface RuntimeWithBuiltins {
  process?: { getBuiltinModule?: (id: string) => unknown }
  Buffer?: unknown
}

let cached: CryptoProvider | undefined

/**
 * The synchronous `node:crypto` provider where the runtime offers Node's built-ins at run
 * time (`process.getBuiltinModule`: Node 20.16+, Bun, Deno), else Web Crypto. Looked up
 * rather than imported, so core bundles for edge runtimes with no `node:` import.
 */
export function defaultCryptoProvider(): CryptoProvider {
  if (cached) return cached
  const runtime = globalThis as unknown as RuntimeWithBuiltins
  const nodeCrypto = runtime.process?.getBuiltinModule?.('node:crypto') as
    | NodeCryptoModule
    | undefined
  const buffer = runtime.Buffer
  cached =
    nodeCrypto && typeof nodeCrypto.createHmac === 'function' && buffer
      ? createNodeCryptoProvider(
          nodeCrypto,
          buffer as Parameters<typeof createNodeCryptoProvider>[1],
        )
      : createWebCryptoProvider()
  return cached
}
