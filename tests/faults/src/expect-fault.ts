import { expect } from 'vitest'
import type { FaultReport } from './fault-run.js'

/**
 * The promise of every fault test: no error before the fault; during it only 503s (no other
 * status, no dropped connection, no hang); recovery within `maxRecoveryMs` without restarting
 * the app; and every session committed before the fault reads back.
 */
export function expectFaultHandled(report: FaultReport, maxRecoveryMs: number): void {
  expect(report.requests, 'the load ran').toBeGreaterThan(500)
  expect(report.unavailable, 'the fault was felt (503s while it stood)').toBeGreaterThan(0)
  expect(report.errorsBeforeFault, 'no error before the fault').toBe(0)
  expect(report.otherStatuses, 'no status but 200 and 503').toEqual({})
  expect(report.socketErrors, 'no dropped connection').toBe(0)
  expect(report.timeouts, 'no request hung').toBe(0)
  expect(report.recoveryMs, 'recovered without restarting the app').not.toBeNull()
  expect(report.recoveryMs!).toBeLessThanOrEqual(maxRecoveryMs)
  expect(report.lost, 'sessions committed before the fault').toEqual([])
}
