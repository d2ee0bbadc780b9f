/**
 * `current` (a `Vary` header value, or nothing) with the field names of `field` added where
 * missing, compared case-insensitively; `*` absorbs everything.
 */
export function mergeVary(current: string | null | undefined, field: string): string {
  // The usual cases, without splitting anything: no Vary yet, or the same one.
  if (!current) return field
  if (current === field) return current
  const fields = (current ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
  if (fields.includes('*')) return '*'
  const lower = new Set(fields.map((name) => name.toLowerCase()))
  for (const part of field.split(',')) {
    const name = part.trim()
    if (name.length === 0 || lower.has(name.toLowerCase())) continue
    if (name === '*') return '*'
    fields.push(name)
    lower.add(name.toLowerCase())
  }
  return fields.join(', ')
}
