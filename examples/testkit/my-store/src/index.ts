import { MapStore } from '../../map-store.js'

/** The store the testkit README's first example tests: the README's MapStore under another name. */
export class MyStore extends MapStore {}
