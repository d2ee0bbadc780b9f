import type { StoreCase } from './store-cases/case-helpers.js'
import { expiryCases } from './store-cases/expiry-cases.js'
import { getAndSetCases } from './store-cases/get-set-cases.js'
import { leaseCases } from './store-cases/lease-cases.js'
import { perUserCases } from './store-cases/per-user-cases.js'
import { prunePayloadCases } from './store-cases/prune-payload-cases.js'

export type { OptionalMethod, StoreCase, StoreCaseContext } from './store-cases/case-helpers.js'

/** The shared conformance cases, in the order `describeStore` registers them. */
export const storeCases: readonly StoreCase[] = [
  ...getAndSetCases,
  ...expiryCases,
  ...perUserCases,
  ...prunePayloadCases,
  ...leaseCases,
]
