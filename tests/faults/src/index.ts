export { expectFaultHandled } from './expect-fault.js'
export { describeReport, type FaultReport, type FaultScenario, runFault } from './fault-run.js'
export {
  type LoadOptions,
  type LoadSample,
  type LoadTarget,
  type RunningLoad,
  startLoad,
} from './load.js'
export { repeatEvery, repeatedFault } from './repeat.js'
export { holdSqliteLock, type SqliteLockHolder } from './sqlite-locker.js'
