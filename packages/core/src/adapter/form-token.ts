/** The body types `csrf()` can find a token field in. */
export type TokenBodyKind = 'urlencoded' | 'multipart' | 'json'

/** Which kind of body a `Content-Type` announces, or null for one that carries no form field. */
export function tokenBodyKind(contentType: string | null | undefined): TokenBodyKind | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (type === 'application/x-www-form-urlencoded') return 'urlencoded'
  if (type === 'multipart/form-data') return 'multipart'
  if (type === 'application/json' || type.endsWith('+json')) return 'json'
  return null
}

/** The token under `field` in a body a parser produced (first value of a repeated field). */
export function tokenField(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, field)) return undefined
  const value = (body as Record<string, unknown>)[field]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : undefined
}

/**
 * Parses a raw body the way a body parser would (urlencoded: first value per name; JSON:
 * any object; multipart: text fields, through the runtime's `Response.formData()`).
 * Undefined when the body is malformed.
 */
export async function parseTokenBody(
  bytes: Uint8Array,
  kind: TokenBodyKind,
  contentType: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    if (kind === 'multipart') {
      const form = await new Response(bytes, {
        headers: { 'content-type': contentType },
      }).formData()
      const fields: Record<string, unknown> = {}
      form.forEach((value, name) => {
        if (typeof value === 'string' && !Object.hasOwn(fields, name)) fields[name] = value
      })
      return fields
    }
    const text = new TextDecoder().decode(bytes)
    if (kind === 'urlencoded') {
      const fields: Record<string, unknown> = {}
      for (const [name, value] of new URLSearchParams(text)) {
        if (!Object.hasOwn(fields, name)) fields[name] = value
      }
      return fields
    }
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
