// The Kysely README's MySQL / MariaDB setup; MYSQL_URL names the database.
// #region mysql
import { createSessionTable, KyselyStore } from '@tessera/kysely'
import { Kysely, MysqlDialect } from 'kysely'
import { createPool } from 'mysql2'

const db = new Kysely({
  dialect: new MysqlDialect({ pool: createPool({ uri: process.env.MYSQL_URL }) }),
})
await createSessionTable(db)
const store = new KyselyStore({ db })

// #endregion mysql

export { db, store }
