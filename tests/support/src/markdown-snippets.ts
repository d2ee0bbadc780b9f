/**
 * Markdown code blocks and the files they are quoted from: the one implementation behind
 * `tests/docs` (every README) and `tests/generator` (CONTRIBUTING.md).
 *
 * A block says where it comes from in an HTML comment on the line before its fence:
 * `<!-- from: examples/express/quick-start.ts#quick-start -->` quotes the region between
 * `// #region quick-start` and `// #endregion quick-start` of that file (dedented, as
 * VitePress's `<<< file#region` shows it), `<!-- from: path -->` a verbatim part of the file.
 */

/** A fenced code block of a Markdown file, and the file it says it is quoted from. */
export interface Snippet {
  /** The info string after the opening fence: `ts`, `sh`, `md`… */
  lang: string
  code: string
  /** The path of the `<!-- from: path -->` comment on the line before the fence, if any. */
  from: string | undefined
  /** The region named after `#` in that comment (`<!-- from: path#region -->`), if any. */
  region: string | undefined
  /** 1-based line of the opening fence, for messages. */
  line: number
}

const FROM_COMMENT = /^<!-- from: ([^\s#]+)(?:#([\w*-]+))? -->$/

/** Every fenced block of `markdown` (``` fences, not nested). */
export function snippetsOf(markdown: string): Snippet[] {
  const lines = markdown.split('\n')
  const snippets: Snippet[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(?:\s.*)?$/.exec(lines[i] as string)
    if (!open) continue
    const end = lines.indexOf('```', i + 1)
    if (end === -1) throw new Error(`unclosed code fence at line ${i + 1}`)
    const previous = i > 0 ? FROM_COMMENT.exec((lines[i - 1] as string).trim()) : null
    snippets.push({
      lang: open[1] ?? '',
      code: lines.slice(i + 1, end).join('\n'),
      from: previous?.[1],
      region: previous?.[2],
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

const REGION_MARKER = /^\/\/ ?#?((?:end)?region) ([\w*-]+)$/

/**
 * The lines between `// #region <name>` and `// #endregion <name>` of `source`, without
 * region markers nested inside, dedented by their common indentation: what VitePress's
 * `<<< file#name` shows. `undefined` when the markers are missing.
 */
export function regionOf(source: string, name: string): string | undefined {
  const lines = source.replace(/\r\n/g, '\n').split('\n')
  const marker = (line: string) => REGION_MARKER.exec(line.trim())
  const start = lines.findIndex((line) => {
    const match = marker(line)
    return match?.[1] === 'region' && match[2] === name
  })
  if (start === -1) return undefined
  const end = lines.findIndex((line, index) => {
    const match = marker(line)
    return index > start && match?.[1] === 'endregion' && match[2] === name
  })
  if (end === -1) return undefined
  const body = lines.slice(start + 1, end).filter((line) => !marker(line))
  // Blank lines a formatter keeps next to the markers are not part of the snippet.
  while (body.length > 0 && (body[0] as string).trim() === '') body.shift()
  while (body.length > 0 && (body[body.length - 1] as string).trim() === '') body.pop()
  const indent = Math.min(
    ...body.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length),
  )
  return body.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join('\n')
}

/** Every region name of `source` (`// #region <name>`), in order. */
export function regionNamesOf(source: string): string[] {
  return source
    .split('\n')
    .map((line) => REGION_MARKER.exec(line.trim()))
    .filter((match) => match?.[1] === 'region')
    .map((match) => match![2] as string)
}
