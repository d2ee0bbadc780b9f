import { describe, expect, it } from 'vitest'
import { DemoConfigError, parseDemoConfig } from '../src/index.js'

const APP = '/srv/demo'

function configError(env: Record<string, string>): DemoConfigError {
  try {
    parseDemoConfig(env, APP)
  } catch (error) {
    if (error instanceof DemoConfigError) return error
    throw error
  }
  throw new Error(`accepted ${JSON.stringify(env)}`)
}

describe('parseDemoConfig', () => {
  it('has defaults a fresh clone runs with', () => {
    expect(parseDemoConfig({}, APP)).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databasePath: '/srv/demo/demo.sqlite',
      sessionStore: { kind: 'sqlite' },
      sessionTable: 'tessera_sessions',
      sessionPrefix: 'tessera-demo:',
      sessionSecret: undefined,
      idleTimeoutMs: 30 * 60_000,
      absoluteTimeoutMs: 8 * 3_600_000,
      adminPassword: undefined,
      userPassword: undefined,
    })
  })

  it('reads every variable', () => {
    const config = parseDemoConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_PATH: 'data/users.sqlite',
        SESSION_STORE: 'redis://127.0.0.1:6379',
        SESSION_TABLE: 'web_sessions',
        SESSION_PREFIX: 'shop:',
        SESSION_SECRET: 'x'.repeat(32),
        SESSION_IDLE_TIMEOUT: '90s',
        SESSION_ABSOLUTE_TIMEOUT: '2h',
        DEMO_ADMIN_PASSWORD: 'correct horse battery',
        DEMO_USER_PASSWORD: 'staple staple',
      },
      APP,
    )
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databasePath: '/srv/demo/data/users.sqlite',
      sessionStore: { kind: 'redis', url: 'redis://127.0.0.1:6379' },
      sessionTable: 'web_sessions',
      sessionPrefix: 'shop:',
      idleTimeoutMs: 90_000,
      absoluteTimeoutMs: 7_200_000,
      adminPassword: 'correct horse battery',
      userPassword: 'staple staple',
    })
  })

  it('refuses values it cannot use, naming the variable and what it accepts', () => {
    expect(configError({ PORT: 'http' }).message).toContain('PORT="http" is not a port')
    expect(configError({ PORT: '70000' }).variable).toBe('PORT')
    expect(configError({ SESSION_TABLE: 'drop table;' }).variable).toBe('SESSION_TABLE')
    expect(configError({ SESSION_IDLE_TIMEOUT: 'soon' }).message).toContain("'30m'")
    expect(configError({ SESSION_STORE: 'nosql://x' }).message).toContain('Accepted forms')
  })

  it('never accepts a weak secret or seed password, and never echoes them', () => {
    const secret = configError({ SESSION_SECRET: 'short-secret' })
    expect(secret.message).toContain('use at least 32')
    expect(secret.message).not.toContain('short-secret')
    const password = configError({ DEMO_ADMIN_PASSWORD: 'admin' })
    expect(password.variable).toBe('DEMO_ADMIN_PASSWORD')
    expect(password.message).toContain('at least 8 characters')
    expect(password.message).not.toContain('"admin"')
    expect(configError({ DEMO_USER_PASSWORD: '1234567' }).variable).toBe('DEMO_USER_PASSWORD')
  })
})
