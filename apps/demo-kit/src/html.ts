/** Markup that is already safe to send: built by {@link html} or trusted on purpose. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

/** What a {@link html} template accepts: text is escaped, {@link SafeHtml} kept, lists joined. */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[]

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string)
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value
  if (value === null || value === undefined || value === false) return ''
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/**
 * Tagged template for views: every interpolated value is escaped unless it is {@link SafeHtml}
 * (the result of another `html` template), so user data (names, cart items, user agents)
 * can never inject markup. `false`, `null` and `undefined` render as nothing, so
 * `${cond && html`…`}` works.
 *
 * @example
 * ```ts
 * html`<p>Welcome, ${name}</p>` // name = '<b>' renders as &lt;b&gt;
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '')
  }
  return new SafeHtml(out)
}
