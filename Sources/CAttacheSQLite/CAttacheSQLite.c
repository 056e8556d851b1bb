#include "CAttacheSQLite.h"

// sqlite-nio builds SQLite with its symbols prefixed; its header is not visible to this target.
int sqlite_nio_sqlite3_db_config(void *connection, int option, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG in sqlite3.h.
static const int attache_sqlite_dbconfig_enable_qpsg = 1007;

int attache_sqlite_enable_stable_plans(void *connection) {
    int enabled = 0;
    int result = sqlite_nio_sqlite3_db_config(connection, attache_sqlite_dbconfig_enable_qpsg, 1, &enabled);
    return result == 0 && enabled == 1;
}
