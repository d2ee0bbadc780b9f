/**
 * The one property the session middleware adds to an Express request. Express swaps each
 * request's prototype (`Object.setPrototypeOf(req, app.request)`), and after that V8 gives
 * every property added to the request a hidden class of its own: about 1.2 KB of map and
 * descriptors, copied, per added property and request (bench/in-process.mjs measures
 * it). So the request's session handle carries everything else per request (the response
 * hold, the assigned `req.session`) instead of each taking a property of its own.
 */
export const REQUEST_SLOT = Symbol.for('tessera.express.req-session')

/** The field of the request's slot (the session handle) that holds its response's hold. */
export const RESPONSE_HOLD = Symbol('tessera.express.response-hold')

/** What {@link REQUEST_SLOT} holds when the session middleware put it there. */
export interface HoldCarrier {
  [RESPONSE_HOLD]: unknown
}
