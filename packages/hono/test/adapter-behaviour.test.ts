import { describeAdapterBehaviour } from '@tessera/adapter-suite'
import { appRequestHarness, nodeServerHarness } from './hono-harness.js'

describeAdapterBehaviour(nodeServerHarness)
describeAdapterBehaviour(appRequestHarness())
