import { describeAdapterBehaviour } from '@tessera/adapter-suite'
import express from 'express'
import { expressHarness } from './express-harness.js'

describeAdapterBehaviour(expressHarness('express 5', express))
