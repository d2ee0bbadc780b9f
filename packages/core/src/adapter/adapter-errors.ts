import { TesseraError, type TesseraErrorCode } from '../errors.js'

/**
 * Something that needs the session ran where no session middleware had run: `csrf()`,
 * `flash()` or a route used the session before (or without) `session()`.
 */
export class SessionMiddlewareMissingError extends TesseraError<TesseraErrorCode> {
  /** What needed the session, e.g. `'csrf()'` or `'req.session'`. */
  readonly feature: string
  constructor(feature: string, fix: string) {
    super(
      'SESSION_MIDDLEWARE_MISSING',
      `${feature} needs the session, but no session middleware ran for this request: ${fix}`,
    )
    this.feature = feature
  }
}

/** A body `csrf()` read itself to find the token was larger than its `bodyLimit`. */
export class FormBodyTooLargeError extends TesseraError<TesseraErrorCode> {
  readonly limit: number
  constructor(limit: number) {
    super(
      'FORM_BODY_TOO_LARGE',
      `The request body is larger than ${limit} bytes, the csrf() bodyLimit, so its CSRF token was not read. Raise bodyLimit, or send the token in the x-csrf-token header.`,
      { status: 413 },
    )
    this.limit = limit
  }
}
