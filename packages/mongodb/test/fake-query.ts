import type { MongoDocumentLike } from '../src/index.js'

// The query and update language of FakeCollection (see fake-collection.ts): the operators
// MongoStore sends, with MongoDB's semantics, and a FakeCollectionUnsupportedError for the rest.

export type Value = string | number | boolean | null | Date
export type StoredDocument = Record<string, Value>

export class FakeCollectionUnsupportedError extends Error {
  constructor(what: string) {
    super(`FakeCollection does not implement ${what}; model it on the driver before using it.`)
    this.name = 'FakeCollectionUnsupportedError'
  }
}

export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    Object.keys(value).some((key) => key.startsWith('$'))
  )
}

export function checkFilter(filter: MongoDocumentLike): void {
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$') || field.includes('.'))
      throw new FakeCollectionUnsupportedError(`the filter field ${field}`)
    if (!isOperatorObject(condition)) {
      checkOperand(field, condition)
      continue
    }
    for (const [operator, operand] of Object.entries(condition)) {
      if (!['$gt', '$lte', '$ne'].includes(operator))
        throw new FakeCollectionUnsupportedError(`the query operator ${operator}`)
      checkOperand(`${field}.${operator}`, operand)
      // Range conditions on strings would need MongoDB's collation order: not modelled.
      if (operator !== '$ne' && typeof operand === 'string')
        throw new FakeCollectionUnsupportedError(`${operator} on a string`)
    }
  }
}

function checkOperand(where: string, operand: unknown): void {
  if (typeof operand === 'string' || typeof operand === 'number' || operand instanceof Date) return
  throw new FakeCollectionUnsupportedError(`the operand of ${where}: ${describe(operand)}`)
}

export function matches(document: StoredDocument, filter: MongoDocumentLike): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    const value = document[field]
    if (!isOperatorObject(condition)) return equal(value, condition)
    return Object.entries(condition).every(([operator, operand]) => {
      if (operator === '$ne') return !equal(value, operand)
      const order = compare(value, operand)
      if (order === undefined) return false // other BSON types never compare
      return operator === '$gt' ? order > 0 : order <= 0
    })
  })
}

function equal(value: unknown, operand: unknown): boolean {
  return compare(value, operand) === 0
}

/** Sign of value - operand, or undefined across types (MongoDB's type bracketing). */
function compare(value: unknown, operand: unknown): number | undefined {
  if (value instanceof Date && operand instanceof Date)
    return Math.sign(value.getTime() - operand.getTime())
  if (typeof value === 'number' && typeof operand === 'number') return Math.sign(value - operand)
  if (typeof value === 'string' && typeof operand === 'string')
    return value === operand ? 0 : Number.NaN
  return undefined
}

export function checkUpdate(update: MongoDocumentLike): void {
  const operators = Object.keys(update)
  // The driver itself refuses an update without operators (MongoInvalidArgumentError).
  if (operators.length === 0 || !operators.every((key) => key.startsWith('$')))
    throw new FakeCollectionUnsupportedError('replacement-style updates')
  for (const operator of operators) {
    if (operator !== '$set' && operator !== '$unset')
      throw new FakeCollectionUnsupportedError(`the update operator ${operator}`)
    const fields = update[operator]
    if (typeof fields !== 'object' || fields === null)
      throw new FakeCollectionUnsupportedError(`${operator} of ${describe(fields)}`)
    for (const [field, value] of Object.entries(fields)) {
      if (field === '_id' || field.includes('.') || field.startsWith('$'))
        throw new FakeCollectionUnsupportedError(`${operator} of ${field}`)
      if (operator === '$set') toValue(value)
    }
  }
}

export function applyUpdate(document: StoredDocument, update: MongoDocumentLike): void {
  const set = (update.$set ?? {}) as Record<string, unknown>
  const unset = (update.$unset ?? {}) as Record<string, unknown>
  for (const [field, value] of Object.entries(set)) document[field] = toValue(value)
  for (const field of Object.keys(unset)) delete document[field]
}

export function toStored(document: MongoDocumentLike): StoredDocument {
  const stored: StoredDocument = {}
  for (const [field, value] of Object.entries(document)) {
    if (field.startsWith('$') || field.includes('.'))
      throw new FakeCollectionUnsupportedError(`the field name ${field}`)
    stored[field] = toValue(value)
  }
  return stored
}

/** The BSON values sessions use; `undefined`, objects, arrays and the rest are not modelled. */
export function toValue(value: unknown): Value {
  if (value instanceof Date) return new Date(value.getTime())
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
    return value as Value
  throw new FakeCollectionUnsupportedError(`the value ${describe(value)}`)
}

export function copy(document: StoredDocument): StoredDocument {
  const out: StoredDocument = {}
  for (const [field, value] of Object.entries(document))
    out[field] = value instanceof Date ? new Date(value.getTime()) : value
  return out
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? `an object (${Object.keys(value).join(', ')})` : typeof value
}
