import { describeAdapterBehaviour } from '@tessera/adapter-suite'
import Koa from 'koa'
import { koaHarness } from './koa-harness.js'

describeAdapterBehaviour(koaHarness('koa 3', Koa))
