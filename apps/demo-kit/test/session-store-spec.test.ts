import { describe, expect, it } from 'vitest'
import {
  DemoConfigError,
  describeSessionStore,
  maskPassword,
  parseSessionStore,
  SESSION_STORE_FORMS,
} from '../src/index.js'

const APP = '/srv/demo'

describe('parseSessionStore', () => {
  it('defaults to SQLite when unset, empty or sqlite:', () => {
    for (const value of [undefined, '', '  ', 'sqlite:', 'SQLITE:']) {
      expect(parseSessionStore(value, APP)).toEqual({ kind: 'sqlite' })
    }
  })

  it('accepts every documented form', () => {
    expect(parseSessionStore('memory:', APP)).toEqual({ kind: 'memory' })
    expect(parseSessionStore('cookie:', APP)).toEqual({ kind: 'cookie' })
    expect(parseSessionStore('redis://127.0.0.1:6379/2', APP)).toEqual({
      kind: 'redis',
      url: 'redis://127.0.0.1:6379/2',
    })
    expect(parseSessionStore('rediss://cache.example:6380', APP).kind).toBe('redis')
    expect(parseSessionStore('postgres://app@db:5432/app', APP)).toEqual({
      kind: 'postgres',
      url: 'postgres://app@db:5432/app',
    })
    expect(parseSessionStore('postgresql://app@db/app', APP).kind).toBe('postgres')
    expect(parseSessionStore('mysql://root@127.0.0.1:3306/test', APP).kind).toBe('mysql')
    expect(parseSessionStore('mongodb://127.0.0.1:27017/demo', APP).kind).toBe('mongodb')
    expect(parseSessionStore('mongodb+srv://cluster.example/demo', APP).kind).toBe('mongodb')
  })

  it('resolves a relative file: folder against the app folder', () => {
    expect(parseSessionStore('file:./sessions', APP)).toEqual({
      kind: 'file',
      dir: '/srv/demo/sessions',
    })
    expect(parseSessionStore('file:/var/lib/demo', APP)).toEqual({
      kind: 'file',
      dir: '/var/lib/demo',
    })
    expect(parseSessionStore('file:///var/lib/demo', APP)).toEqual({
      kind: 'file',
      dir: '/var/lib/demo',
    })
  })

  it('fails on anything else with a message listing every accepted form', () => {
    for (const value of [
      'memory',
      'sqlite:./x.db',
      'http://localhost',
      'redis',
      'file:',
      'redis://',
    ]) {
      let error: unknown
      try {
        parseSessionStore(value, APP)
      } catch (caught) {
        error = caught
      }
      expect(error, value).toBeInstanceOf(DemoConfigError)
      const { message, code, variable } = error as DemoConfigError
      expect(code).toBe('DEMO_CONFIG_INVALID')
      expect(variable).toBe('SESSION_STORE')
      expect(message).toContain(`SESSION_STORE=${JSON.stringify(value)}`)
      for (const [form] of SESSION_STORE_FORMS) expect(message).toContain(form)
    }
  })

  it('lists the eight forms, each with what it selects', () => {
    expect(SESSION_STORE_FORMS.map(([form]) => form.split(' ')[0])).toEqual([
      '(unset)',
      'redis://host:6379[/db]',
      'postgres://user@host:5432/db',
      'mysql://user@host:3306/db',
      'mongodb://host:27017/db',
      'file:./sessions',
      'memory:',
      'cookie:',
    ])
  })
})

describe('describeSessionStore', () => {
  it('names the store and never shows a password', () => {
    expect(describeSessionStore({ kind: 'sqlite' }, '/srv/demo/demo.sqlite')).toBe(
      'SQLite (/srv/demo/demo.sqlite)',
    )
    const described = describeSessionStore(
      { kind: 'postgres', url: 'postgres://app:hunter2@db:5432/app' },
      '',
    )
    expect(described).toBe('PostgreSQL (postgres://app:****@db:5432/app)')
    expect(described).not.toContain('hunter2')
    expect(maskPassword('redis://:s3cret@cache:6379')).toBe('redis://:****@cache:6379')
    expect(maskPassword('redis://cache:6379')).toBe('redis://cache:6379')
  })
})
