/** The session id values an id header (`idFrom: { header }`) presents: one, trimmed, or none. */
export function headerValues(value: string | null | undefined): string[] {
  if (typeof value !== 'string' || value.length === 0) return []
  return [value.trim()]
}
