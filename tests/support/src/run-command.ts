import { spawn } from 'node:child_process'

/** How a command ended. */
export interface CommandResult {
  /** The exit code; `null` when it was killed (on timeout or by a signal). */
  code: number | null
  /** stdout and stderr, interleaved as they came. */
  output: string
}

/**
 * Variables this test's own runner set, which would change how the commands in the copy
 * behave: vitest's worker variables would make the nested vitest run think it is a worker,
 * and pnpm's and turbo's describe the outer invocation, not the copy.
 */
const OUTER_RUN_VARIABLES = /^(VITEST|TINYPOOL|npm_|pnpm_|PNPM_|TURBO_|INIT_CWD$)/

function commandEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!OUTER_RUN_VARIABLES.test(name)) env[name] = value
  }
  return { ...env, FORCE_COLOR: '0', NO_COLOR: '1', TURBO_TELEMETRY_DISABLED: '1' }
}

/** Process groups still running, so a test that times out leaves none behind. */
const running = new Set<number>()

/** Kills every command {@link runCommand} started that is still running. */
export function killRunningCommands(): void {
  for (const pid of running) killGroup(pid)
  running.clear()
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/**
 * Runs `command` in `cwd` and resolves with its exit code and output, whatever the code.
 * Past `timeoutMs` the command and everything it started are killed, so no step can hang
 * the suite.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  { cwd, timeoutMs }: { cwd: string; timeoutMs: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: commandEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, killed as a whole on timeout
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const pid = child.pid
    if (pid !== undefined) running.add(pid)
    const timer = setTimeout(() => {
      output += `\n[${command} ${args.join(' ')}: killed after ${timeoutMs} ms]`
      if (pid !== undefined) killGroup(pid)
    }, timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`could not run ${command} (is it on PATH?): ${error.message}`))
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      if (pid !== undefined) running.delete(pid)
      resolve({ code, output })
    })
  })
}

/** `pnpm <args>` in `cwd`, bounded like {@link runCommand}. */
export function pnpm(args: readonly string[], cwd: string, timeoutMs = 120_000) {
  return runCommand('pnpm', args, { cwd, timeoutMs })
}
