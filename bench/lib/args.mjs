/**
 * Command-line options of bench/run.mjs:
 * --quick            the development subset (about 2 minutes)
 * --only=express,koa limit the frameworks
 * --reps=N --window=S --warmup=S   override the settings (development: e.g. check that every
 *                    combination runs with --reps=1 --window=0.3 --warmup=0.1)
 */
export function parseArgs(argv) {
  const value = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  const overrides = {}
  for (const [flag, setting] of [
    ['reps', 'repetitions'],
    ['window', 'windowSeconds'],
    ['warmup', 'warmupSeconds'],
  ]) {
    const given = value(flag)
    if (given === undefined) continue
    const number = Number(given)
    if (!(number > 0)) throw new Error(`--${flag}=${given}: expected a positive number`)
    overrides[setting] = flag === 'reps' ? Math.round(number) : number
  }
  const known = /^--(quick|only=|reps=|window=|warmup=)/
  const unknown = argv.filter((a) => a !== '--' && !known.test(a))
  if (unknown.length > 0)
    throw new Error(`unknown option ${unknown.join(' ')} (see bench/README.md)`)
  return { quick: argv.includes('--quick'), only: value('only')?.split(','), overrides }
}

/**
 * `--key=value` flags of the development scripts (profile.mjs, in-process.mjs) as an object;
 * a bare `--key` is `'true'`.
 */
export function flagsOf(argv) {
  return Object.fromEntries(
    argv.map((arg) => {
      const [key, value = 'true'] = arg.replace(/^--/, '').split('=')
      return [key, value]
    }),
  )
}
