import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Waits until `server` listens; returns its port and a `close()` that also ends keep-alive connections. */
export async function listening(
  server: Server,
): Promise<{ port: number; close: () => Promise<void> }> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve)
      server.once('error', reject)
    })
  }
  const { port } = server.address() as AddressInfo
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
