import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh directory under the OS temp dir; `cleanup()` removes it with everything in it. */
export function tempDir(label: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), `tessera-file-${label}-`))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}

export const farFuture = (): number => Date.now() + 60 * 60_000

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The pid of a process that has exited: a lock owned by it is stale. */
export async function deadPid(): Promise<number> {
  const { spawn } = await import('node:child_process')
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.on('exit', resolve))
  if (child.pid === undefined) throw new Error('could not start a process')
  return child.pid
}
