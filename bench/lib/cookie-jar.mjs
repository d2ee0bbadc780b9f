/**
 * One client's cookies, kept as a browser would for a single origin and path: Set-Cookie
 * replaces a cookie of the same name (the last one in a response wins), Max-Age=0 or an
 * Expires in the past removes it. `header` is the Cookie request header to send.
 */
export class CookieJar {
  #cookies = new Map()
  header = ''

  clone() {
    const copy = new CookieJar()
    for (const [name, value] of this.#cookies) copy.#cookies.set(name, value)
    copy.header = this.header
    return copy
  }

  /** Applies Set-Cookie lines; returns whether the Cookie header changed. */
  absorb(setCookieLines) {
    if (setCookieLines.length === 0) return false
    for (const line of setCookieLines) this.#apply(line)
    const header = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    if (header === this.header) return false
    this.header = header
    return true
  }

  #apply(line) {
    const parts = line.split(';')
    const pair = parts[0]
    const eq = pair.indexOf('=')
    if (eq <= 0) return
    const name = pair.slice(0, eq).trim()
    const value = pair.slice(eq + 1).trim()
    if (value === '' || parts.slice(1).some(isRemoval)) this.#cookies.delete(name)
    else this.#cookies.set(name, value)
  }
}

function isRemoval(attribute) {
  const [key, value = ''] = attribute.split('=')
  const name = key.trim().toLowerCase()
  if (name === 'max-age') return Number(value) <= 0
  if (name === 'expires') return Date.parse(value) <= Date.now()
  return false
}

/** The Set-Cookie values in a flat [name, value, name, value, …] header list. */
export function setCookiesOf(flatHeaders) {
  const lines = []
  for (let i = 0; i < flatHeaders.length; i += 2) {
    if (flatHeaders[i].length === 10 && flatHeaders[i].toLowerCase() === 'set-cookie') {
      lines.push(flatHeaders[i + 1])
    }
  }
  return lines
}
