/** `csrf()` or `flash()` ran before `session()`: mount `session()` first. */
export class SessionMiddlewareMissingError extends Error {
  readonly code = 'SESSION_MIDDLEWARE_MISSING'
  readonly status = 500
  readonly statusCode = 500
  readonly expose = false
  constructor(middleware: string) {
    super(
      `${middleware} needs req.session from @tessera/express's session() middleware; mount app.use(session(...)) before it.`,
    )
    this.name = 'SessionMiddlewareMissingError'
  }
}

/** A form body that `csrf()` read itself was larger than its `bodyLimit`. */
export class FormBodyTooLargeError extends Error {
  readonly code = 'FORM_BODY_TOO_LARGE'
  readonly status = 413
  readonly statusCode = 413
  readonly expose = true
  readonly limit: number
  constructor(limit: number) {
    super(
      `The form body is larger than ${limit} bytes, the csrf() bodyLimit. Raise bodyLimit, or send the token in the x-csrf-token header.`,
    )
    this.name = 'FormBodyTooLargeError'
    this.limit = limit
  }
}
