import fc from 'fast-check'
import { COOKIE_NAME } from './session-cookies.js'

/**
 * fast-check arbitraries for the HTTP fuzzers: header values (every byte Node lets a client
 * send: tab, 0x20–0x7E and 0x80–0xFF, so invalid UTF-8 included), mutations of a real
 * cookie, and hostile stored payloads.
 */

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

const headerChar = fc
  .oneof(
    { weight: 10, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.constant(0x09) },
    { weight: 3, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  )
  .map((code) => String.fromCharCode(code))

/** Any text a header value can carry. */
export const headerText = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(headerChar, { maxLength }).map((chars) => chars.join(''))

const base64url = (length: number): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom(...BASE64URL), { minLength: length, maxLength: length })
    .map((chars) => chars.join(''))

type Mutation =
  | { op: 'replace' | 'insert'; at: number; char: string }
  | { op: 'delete' | 'truncate'; at: number }
  | { op: 'whole'; how: 'duplicate' | 'swapCase' | 'none' }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    op: fc.constantFrom('replace' as const, 'insert' as const),
    at: fc.nat(),
    char: fc.oneof(headerChar, fc.constantFrom(...BASE64URL)),
  }),
  fc.record({ op: fc.constantFrom('delete' as const, 'truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('whole' as const),
    how: fc.constantFrom('duplicate' as const, 'swapCase' as const, 'none' as const),
  }),
)

function mutate(value: string, change: Mutation): string {
  if (change.op === 'whole') {
    if (change.how === 'none') return value
    if (change.how === 'duplicate') return value + value
    // ASCII letters only: other letters can change case outside latin1 (µ → Μ).
    return value.replace(/[A-Za-z]/g, (ch) =>
      ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase(),
    )
  }
  const at = change.at % (value.length + 1)
  switch (change.op) {
    case 'truncate':
      return value.slice(0, at)
    case 'delete':
      return value.slice(0, at) + value.slice(at + 1)
    case 'insert':
      return value.slice(0, at) + change.char + value.slice(at)
    case 'replace':
      return value.slice(0, at) + change.char + value.slice(at + 1)
  }
}

/** Values for the session cookie or id header: random, near-valid, mutated from `valid`. */
export function sessionValue(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: headerText(120) },
    {
      weight: 4,
      arbitrary: fc
        .array(mutation, { minLength: 1, maxLength: 3 })
        .map((changes) => changes.reduce(mutate, valid)),
    },
    { weight: 2, arbitrary: fc.tuple(base64url(43), base64url(43)).map(([a, b]) => `${a}.${b}`) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 200 }).chain((n) => base64url(n)) },
    { weight: 1, arbitrary: sessionValueWrapped(valid) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('A', '.', '%', '"', '\\', 'é'), fc.integer({ min: 500, max: 6000 }))
        .map(([ch, n]) => ch.repeat(n)),
    },
  )
}

function sessionValueWrapped(valid: string): fc.Arbitrary<string> {
  return fc
    .constantFrom('"%s"', '"%s', "'%s'", '%s;', ' %s ', '%s=', '=%s', '%s%00', '../%s', '%s\\')
    .map((pattern) => pattern.replace('%s', valid))
}

/** Whole `Cookie` header values: random text, or pairs where the session cookie often appears. */
export function cookieHeader(valid: string): fc.Arbitrary<string> {
  const name = fc.oneof(
    { weight: 6, arbitrary: fc.constant(COOKIE_NAME) },
    { weight: 1, arbitrary: fc.constantFrom(` ${COOKIE_NAME}`, COOKIE_NAME.toUpperCase(), '') },
    { weight: 2, arbitrary: headerText(12) },
  )
  const pair = fc
    .tuple(name, fc.constantFrom('=', '=', '=', '', '=='), sessionValue(valid))
    .map(([n, eq, v]) => `${n}${eq}${v}`)
  return fc.oneof(
    { weight: 2, arbitrary: headerText(300) },
    { weight: 5, arbitrary: pair },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.array(pair, { minLength: 2, maxLength: 12 }),
          fc.constantFrom('; ', ';', ',', ' ;'),
        )
        .map(([pairs, separator]) => pairs.join(separator)),
    },
  )
}

// ---- stored payloads -------------------------------------------------------------------

const hostileKey = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '__defineGetter__',
      'polluted',
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
)

const numberLiteral = fc.oneof(
  fc.constantFrom(
    '1e999',
    '-1e999',
    '1e-999',
    '123456789012345678901234567890',
    '-0',
    '9007199254740993',
    '1.7976931348623157e308',
    '-1.7976931348623157e308',
    '0.1e400',
    '5e-324',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.integer().map(String),
)

/** JSON text (not values: `__proto__` must reach the parser as a key) of hostile shape. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{
  value: string
  object: string
  array: string
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberLiteral,
    fc.string({ unit: 'binary', maxLength: 20 }).map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null'),
    tie('object'),
    tie('array'),
  ),
  object: fc
    .array(fc.tuple(hostileKey, tie('value')), { maxLength: 5 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
})).value

const deepNesting = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('[', '{"a":', '{"__proto__":'))
  .map(([depth, open]) => {
    const close = open === '[' ? ']' : '}'
    const leaf = open === '[' ? '' : '1'
    return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`
  })

const metaText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        numberLiteral,
        fc.array(
          fc.tuple(
            fc.constantFrom('u', 'a', 't', 'f', 'i', 'e', '__proto__', 'constructor'),
            jsonText,
          ),
          { maxLength: 4 },
        ),
      )
      .map(
        ([created, extra]) =>
          `{"c":${created}${extra.map(([k, v]) => `,${JSON.stringify(k)}:${v}`).join('')}}`,
      ),
  },
  { weight: 1, arbitrary: fc.constant(`{"c":${Date.now()}}`) },
  { weight: 1, arbitrary: jsonText },
)

const dataText = fc.oneof(
  { weight: 5, arbitrary: jsonText.map((text) => (text.startsWith('{') ? text : `{"v":${text}}`)) },
  { weight: 2, arbitrary: deepNesting.map((text) => `{"deep":${text}}`) },
  { weight: 1, arbitrary: jsonText },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"__proto__":null}',
      '{"a":{"__proto__":{"polluted":"yes"}}}',
    ),
  },
)

/**
 * Payloads as a corrupted or hostile store might hold them under a valid key: random bytes,
 * truncated and well-formed `<meta>\n<data>` texts with `__proto__`/`constructor` keys,
 * huge numbers and deep nesting, and encrypted-looking garbage.
 */
export const hostilePayload: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 6, arbitrary: fc.tuple(metaText, dataText).map(([meta, data]) => `${meta}\n${data}`) },
  {
    weight: 2,
    arbitrary: fc.tuple(metaText, dataText, fc.nat()).map(([meta, data, cut]) => {
      const text = `${meta}\n${data}`
      return text.slice(0, cut % (text.length + 1))
    }),
  },
  { weight: 1, arbitrary: deepNesting },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        base64url(8),
        fc.integer({ min: 0, max: 300 }).chain((n) => base64url(n)),
      )
      .map(([id, sealed]) => `E1.${id}.${sealed}`),
  },
)
