export * from './service.js'
export * from './sql-servers.js'
export * from './redis-server.js'
