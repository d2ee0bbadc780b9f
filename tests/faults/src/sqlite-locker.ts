import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'

const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3')

// The other process: opens the file, takes the write lock (BEGIN EXCLUSIVE), says so, and
// holds it until told to let go on stdin.
const HOLDER = `
const Database = require(process.argv[1])
const db = new Database(process.argv[2])
db.pragma('busy_timeout = 5000')
db.exec('BEGIN EXCLUSIVE')
process.stdout.write('locked\\n')
process.stdin.once('data', () => {
  db.exec('COMMIT')
  db.close()
  process.stdout.write('released\\n')
  process.exit(0)
})
`

/** Another process holding an exclusive lock on a SQLite file until `release()`. */
export interface SqliteLockHolder {
  readonly pid: number
  release(): Promise<void>
}

/** Spawns a Node process that takes `BEGIN EXCLUSIVE` on `file`; resolves once it holds it. */
export async function holdSqliteLock(file: string): Promise<SqliteLockHolder> {
  const child: ChildProcess = spawn(process.execPath, ['-e', HOLDER, betterSqlite3, file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  process.once('exit', () => child.kill('SIGKILL'))
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve()
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)))
  })
  return {
    pid: child.pid ?? -1,
    async release() {
      child.stdin?.write('release\n')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
