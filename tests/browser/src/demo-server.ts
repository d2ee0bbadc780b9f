import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '@tessera/test-support'

/** The three demo apps. */
export type DemoName = 'express' | 'koa' | 'hono'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Passwords the suite seeds the `admin` and `user` accounts with. */
export const ADMIN_PASSWORD = 'admin-browser-test-password'
export const USER_PASSWORD = 'user-browser-test-password'

const START_TIMEOUT_MS = 20_000
const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/** The built entry point of a demo. */
export function demoEntry(demo: DemoName): string {
  return join(ROOT, 'apps', `${demo}-demo`, 'dist', 'main.js')
}

/**
 * One demo app as a child process on 127.0.0.1 and a free port, with its own temporary
 * SQLite file, so a restart (same port, same file) can be tested.
 */
export class DemoServer {
  /** What the process printed, for failure messages. */
  output = ''
  #child: ChildProcess | null = null
  #port = 0
  #dir: string | null = null

  constructor(
    readonly demo: DemoName,
    readonly env: Readonly<Record<string, string>> = {},
  ) {}

  /** The temporary folder of the demo's SQLite file, made at the first start. */
  get dir(): string {
    this.#dir ??= mkdtempSync(join(tmpdir(), 'tessera-browser-'))
    return this.#dir
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`
  }

  /** Starts the demo and resolves once it printed its URL. */
  async start(): Promise<void> {
    const entry = demoEntry(this.demo)
    if (!existsSync(entry)) {
      throw new Error(`${entry} is missing: build the demos first (pnpm turbo run build).`)
    }
    this.#port ||= await freePort()
    const child = spawn(process.execPath, [entry], {
      cwd: dirname(dirname(entry)),
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(this.#port),
        DATABASE_PATH: join(this.dir, 'demo.sqlite'),
        DEMO_ADMIN_PASSWORD: ADMIN_PASSWORD,
        DEMO_USER_PASSWORD: USER_PASSWORD,
        NODE_ENV: 'test',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.#child = child
    live.add(child)
    child.once('exit', () => live.delete(child))
    await new Promise<void>((resolveStart, rejectStart) => {
      const timer = setTimeout(() => fail('did not print its URL'), START_TIMEOUT_MS)
      const fail = (why: string) => {
        clearTimeout(timer)
        rejectStart(new Error(`The ${this.demo} demo ${why}. Output:\n${this.output}`))
      }
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString()
        if (/ demo: http:\/\/\S+/.test(this.output)) {
          clearTimeout(timer)
          resolveStart()
        }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', (chunk: Buffer) => {
        this.output += chunk.toString()
      })
      child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) during start`))
    })
  }

  /**
   * Starts the demo expecting it to refuse to start; resolves with its exit code and output.
   */
  async startExpectingFailure(): Promise<{ code: number | null; output: string }> {
    try {
      await this.start()
    } catch {
      const child = this.#child
      if (child && child.exitCode === null && child.signalCode === null) {
        await new Promise((r) => child.once('exit', r))
      }
      return { code: child?.exitCode ?? null, output: this.output }
    }
    await this.stop()
    throw new Error(`The ${this.demo} demo started although it should not have:\n${this.output}`)
  }

  /** Stops the demo (SIGTERM: it closes its store and database) and waits for the exit. */
  async stop(): Promise<void> {
    const child = this.#child
    this.#child = null
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    await new Promise<void>((resolveStop) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      child.once('exit', () => {
        clearTimeout(timer)
        resolveStop()
      })
      child.kill('SIGTERM')
    })
  }

  /** Stops and starts again on the same port with the same SQLite file. */
  async restart(): Promise<void> {
    await this.stop()
    await this.start()
  }

  /** Stops the demo and removes its temporary folder. */
  async dispose(): Promise<void> {
    await this.stop()
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true })
  }
}
