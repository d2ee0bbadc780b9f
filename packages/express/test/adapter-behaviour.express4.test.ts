import { describeAdapterBehaviour } from '@tessera/adapter-suite'
import express4 from 'express4'
import { vi } from 'vitest'
import { expressHarness } from './express-harness.js'

// An app on Express 4 has it installed as `express`, which @tessera/express resolves (it is a
// peer dependency): mocking the name reproduces that, so the adapter sees Express 4's request
// prototype exactly as such a user's app would.
vi.mock('express', async () => await import('express4'))

describeAdapterBehaviour(expressHarness('express 4', express4))
