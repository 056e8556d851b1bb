#ifndef C_ATTACHE_SQLITE_H
#define C_ATTACHE_SQLITE_H

/// Turns on SQLite's query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) for the
/// connection: plans no longer depend on bound values, so binding a value never makes SQLite compile
/// a kept statement again. `connection` is a `sqlite3 *` of sqlite-nio's SQLite. Returns 1 when the
/// setting is on, 0 when SQLite refused it.
///
/// In C because `sqlite3_db_config` is variadic, which Swift cannot call.
int attache_sqlite_enable_stable_plans(void *connection);

/// Adds the FTS5 ranking function `attache_rank(table, weight, weight, …)` to the connection: one
/// weight per column of the table, the score negative (lower is better), as `bm25` orders.
///
/// It is BM25 without length normalisation (b = 0, k1 = 1.2): each phrase's inverse document
/// frequency times, for each column, the column's weight and the phrase's saturated count in it.
/// `bm25` reads every matching row's column sizes from the table's size records — a lookup per
/// match — to normalise by length; a common word matches a fifth of a tenant's documents, whose
/// ranking that lookup made 2.5 times slower, and names and titles are short and bodies capped, so
/// length says little here. A phrase's frequency is counted once per query, and only for a phrase
/// that occurs in a weighted column; not at all for a query of one phrase, whose frequency scales every
/// score alike (counting it walks the phrase's postings in every tenant's entries).
/// Returns 1 when the function is added, 0 when the connection's SQLite has no FTS5.
int attache_sqlite_add_rank_function(void *connection);

#endif
