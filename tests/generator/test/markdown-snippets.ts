/** A fenced code block of a Markdown file, and the file it says it is quoted from. */
export interface Snippet {
  /** The info string after the opening fence: `ts`, `sh`, `md`… */
  lang: string
  code: string
  /** From the `<!-- from: path -->` comment on the line before the fence, if there is one. */
  from: string | undefined
  /** 1-based line of the opening fence, for messages. */
  line: number
}

const FROM_COMMENT = /^<!-- from: (\S+) -->$/

/** Every fenced block of `markdown` (``` fences, not nested). */
export function snippetsOf(markdown: string): Snippet[] {
  const lines = markdown.split('\n')
  const snippets: Snippet[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] as string)
    if (!open) continue
    const end = lines.indexOf('```', i + 1)
    if (end === -1) throw new Error(`unclosed code fence at line ${i + 1}`)
    const previous = i > 0 ? FROM_COMMENT.exec((lines[i - 1] as string).trim()) : null
    snippets.push({
      lang: open[1] ?? '',
      code: lines.slice(i + 1, end).join('\n'),
      from: previous?.[1],
      line: i + 1,
    })
    i = end
  }
  return snippets
}

/**
 * True when `code` appears in `source` as it is, or with every non-empty line indented the
 * same (a method quoted out of its class).
 */
export function isQuotedFrom(code: string, source: string): boolean {
  for (const indent of ['', '  ', '    ']) {
    const indented = code
      .split('\n')
      .map((line) => (line === '' ? line : indent + line))
      .join('\n')
    if (source.includes(indented)) return true
  }
  return false
}
