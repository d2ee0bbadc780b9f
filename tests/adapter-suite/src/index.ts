export type { AdapterHarness, RunningApp } from './adapter-harness.js'
