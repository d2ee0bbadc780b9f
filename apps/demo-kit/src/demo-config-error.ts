import { TesseraError } from '@tessera/core'

/**
 * An environment variable the demo reads holds a value it cannot use. Thrown at start, before
 * anything listens, with the accepted values in the message.
 */
export class DemoConfigError extends TesseraError<'DEMO_CONFIG_INVALID'> {
  /** The variable, e.g. `'SESSION_STORE'`. */
  readonly variable: string
  /** The value it held. */
  readonly value: string

  constructor(variable: string, value: string, message: string) {
    super('DEMO_CONFIG_INVALID', `${variable}=${JSON.stringify(value)} ${message}`)
    this.variable = variable
    this.value = value
  }
}
