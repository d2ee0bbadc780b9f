import { type ChildProcess, fork } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { WorkerReply, WorkerTask } from './fixtures/worker-protocol.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const packages = join(here, '../..')

/**
 * Bundles test/fixtures/worker.ts (and the store's sources, and core's) into one ES module,
 * so a child process runs the code beside this test without a TypeScript loader.
 */
export async function bundleWorker(outDir: string): Promise<string> {
  const outfile = join(outDir, 'worker.mjs')
  await build({
    entryPoints: [join(here, 'fixtures/worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    alias: { '@tessera/core': join(packages, 'core/src/index.ts') },
  })
  return outfile
}

/** A forked worker process running one task. */
export interface Worker {
  child: ChildProcess
  /** Resolves with the worker's first reply of `type`. */
  next<T extends WorkerReply['type']>(type: T): Promise<Extract<WorkerReply, { type: T }>>
  send(message: WorkerTask | { type: 'go' }): void
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function startWorker(bundle: string, task: WorkerTask): Worker {
  const child = fork(bundle, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const replies: WorkerReply[] = []
  const waiting: Array<() => void> = []
  child.on('message', (message) => {
    replies.push(message as WorkerReply)
    for (const wake of waiting.splice(0)) wake()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal })
      for (const wake of waiting.splice(0)) wake()
    }),
  )
  child.send(task)
  return {
    child,
    send: (message) => child.send(message),
    exited,
    next: async (type) => {
      for (;;) {
        const at = replies.findIndex((reply) => reply.type === type || reply.type === 'error')
        if (at !== -1) {
          const [reply] = replies.splice(at, 1)
          if (reply?.type === 'error') throw new Error(`worker failed: ${reply.message}`)
          return reply as Extract<WorkerReply, { type: typeof type }>
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`worker exited (${child.exitCode ?? child.signalCode}) before "${type}"`)
        }
        await new Promise<void>((wake) => waiting.push(wake))
      }
    },
  }
}
