import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

const CLOCK_TICKS = clockTicksPerSecond()

function clockTicksPerSecond() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
}

/**
 * CPU time (user + system, all threads) a process has used, in microseconds, from fields 14
 * and 15 of /proc/<pid>/stat. Resolution is one clock tick (usually 10 ms).
 */
export function cpuMicrosOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // fields[0] is field 3
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS
}

/**
 * Time a process's main thread spent runnable but waiting for a CPU, in microseconds (field 2
 * of /proc/<pid>/schedstat): high when other processes share the core.
 */
export function waitMicrosOf(pid) {
  const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')
  return Number(fields[1]) / 1000
}

/** `command` prefixed with `taskset -c <cpu>` when a CPU is given. */
export function pinned(cpu, command, args) {
  return cpu === undefined
    ? { command, args }
    : { command: 'taskset', args: ['-c', String(cpu), command, ...args] }
}

/**
 * Starts `node <file>` as a child process (through taskset, which execs, so the pid is
 * node's own), waits for its `{"ready":true,"port":N}` line, and returns a handle. The
 * child's stderr is kept (last 4 KB) to explain a failure.
 */
export function startServer({ name, file, env, cpu, nodeArgs = [] }) {
  const { command, args } = pinned(cpu, process.execPath, [...nodeArgs, file])
  const child = spawn(command, args, {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4096)
  })
  let exited = false
  child.once('exit', () => {
    exited = true
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('did not start within 30 s')), 30_000)
    const fail = (error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      const hint = /ERR_MODULE_NOT_FOUND.*@tessera/s.test(stderr)
        ? '\n(a Tessera package is not built: `pnpm bench` builds them first)'
        : ''
      reject(new Error(`server ${name}: ${error.message}${hint}\n${stderr}`))
    }
    child.once('exit', (code, signal) => fail(new Error(`exited (${code ?? signal})`)))
    let stdout = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      const line = stdout.split('\n').find((l) => l.includes('"ready"'))
      if (line === undefined) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      child.once('exit', () => {
        exited = true
      })
      const { port } = JSON.parse(line)
      resolve({
        name,
        pid: child.pid,
        url: `http://127.0.0.1:${port}`,
        cpuMicros: () => cpuMicrosOf(child.pid),
        waitMicros: () => waitMicrosOf(child.pid),
        alive: () => !exited,
        stderr: () => stderr,
        stop: () => stopChild(child, () => exited),
      })
    })
  })
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the child has exited. */
export function stopChild(child, hasExited) {
  if (hasExited()) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
