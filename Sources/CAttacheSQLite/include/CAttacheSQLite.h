#ifndef C_ATTACHE_SQLITE_H
#define C_ATTACHE_SQLITE_H

/// Turns on SQLite's query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) for the
/// connection: plans no longer depend on bound values, so binding a value never makes SQLite compile
/// a kept statement again. `connection` is a `sqlite3 *` of sqlite-nio's SQLite. Returns 1 when the
/// setting is on, 0 when SQLite refused it.
///
/// In C because `sqlite3_db_config` is variadic, which Swift cannot call.
int attache_sqlite_enable_stable_plans(void *connection);

#endif
