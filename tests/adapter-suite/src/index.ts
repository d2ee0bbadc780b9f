export type { AdapterHarness, RunningApp } from './adapter-harness.js'
export { CookieJar, type SendOptions, send } from './cookie-jar.js'
export { describeAdapterBehaviour, SUITE_SECRET } from './describe-adapter-behaviour.js'
export { type StoreMode, type SwitchableStore, switchableStore } from './test-stores.js'
