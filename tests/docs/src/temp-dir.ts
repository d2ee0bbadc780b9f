import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh temporary directory, and a way to remove it. */
export function tempDir(label: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), `tessera-docs-${label}-`))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}
