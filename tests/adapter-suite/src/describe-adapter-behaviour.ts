import { afterEach, describe } from 'vitest'
import type { AdapterHarness, RunningApp } from './adapter-harness.js'
import { cookieCases } from './cases/cookie-cases.js'
import { cookieStoreCases } from './cases/cookie-store-cases.js'
import { csrfCases } from './cases/csrf-cases.js'
import { dataCases } from './cases/data-cases.js'
import { idHeaderCases } from './cases/id-header-cases.js'
import { lifecycleCases } from './cases/lifecycle-cases.js'
import { mountingCases } from './cases/mounting-cases.js'
import { rotationCases } from './cases/rotation-cases.js'
import { routeGuardCases } from './cases/route-guard-cases.js'
import { secureCookieCases } from './cases/secure-cookie-cases.js'
import { storeFailureCases } from './cases/store-failure-cases.js'
import { suiteContext } from './cases/suite-context.js'

export { SUITE_SECRET } from './cases/suite-context.js'

/**
 * The behaviour every framework adapter must show over real HTTP, run unchanged by each
 * adapter's tests: `describeAdapterBehaviour(expressHarness)`. See {@link AdapterHarness} for
 * the routes the app provides.
 */
export function describeAdapterBehaviour(harness: AdapterHarness): void {
  describe(`${harness.name}: adapter behaviour`, () => {
    const running: RunningApp[] = []
    afterEach(async () => {
      await Promise.all(running.splice(0).map((app) => app.close()))
    })
    const context = suiteContext(harness, running)
    cookieCases(context)
    secureCookieCases(context)
    dataCases(context)
    lifecycleCases(context)
    csrfCases(context)
    idHeaderCases(context)
    storeFailureCases(context)
    cookieStoreCases(context)
    mountingCases(context)
    routeGuardCases(context)
    rotationCases(context)
  })
}
