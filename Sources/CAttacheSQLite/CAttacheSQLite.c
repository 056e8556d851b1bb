#include "CAttacheSQLite.h"

// sqlite-nio's SQLite, whose symbols are prefixed (sqlite_nio_sqlite3_…); its header declares FTS5's
// extension API too.
#include "sqlite_nio_sqlite3.h"
#include <math.h>
#include <stdlib.h>

int attache_sqlite_enable_stable_plans(void *connection) {
    int enabled = 0;
    int result = sqlite_nio_sqlite3_db_config((sqlite3 *)connection, SQLITE_DBCONFIG_ENABLE_QPSG, 1, &enabled);
    return result == 0 && enabled == 1;
}

// The ranking function (see the header).

/// BM25's term-frequency saturation.
static const double attache_rank_k1 = 1.2;

/// What one query keeps between its rows: each phrase's inverse document frequency, NAN until a row
/// needs it.
typedef struct {
    int phraseCount;
    double idf[];
} AttacheRankQuery;

static int attache_rank_count_row(const Fts5ExtensionApi *api, Fts5Context *context, void *count) {
    (void)api;
    (void)context;
    *(sqlite3_int64 *)count += 1;
    return SQLITE_OK;
}

static double attache_rank_idf(const Fts5ExtensionApi *api, Fts5Context *context, AttacheRankQuery *query, int phrase, int *error) {
    if (isnan(query->idf[phrase])) {
        sqlite3_int64 rows = 0;
        sqlite3_int64 matching = 0;
        *error = api->xRowCount(context, &rows);
        if (*error == SQLITE_OK) *error = api->xQueryPhrase(context, phrase, &matching, attache_rank_count_row);
        if (*error != SQLITE_OK) return 0;
        double idf = log(((double)(rows - matching) + 0.5) / ((double)matching + 0.5));
        // A phrase in more than half the rows still counts a little, as in bm25.
        query->idf[phrase] = idf > 1e-6 ? idf : 1e-6;
    }
    return query->idf[phrase];
}

static void attache_rank(const Fts5ExtensionApi *api, Fts5Context *context, sqlite3_context *result, int weightCount, sqlite3_value **weights) {
    int columns = api->xColumnCount(context);
    if (weightCount != columns) {
        sqlite_nio_sqlite3_result_error(result, "attache_rank takes one weight per column", -1);
        return;
    }
    int phrases = api->xPhraseCount(context);
    AttacheRankQuery *query = api->xGetAuxdata(context, 0);
    if (query == NULL) {
        query = malloc(sizeof(AttacheRankQuery) + sizeof(double) * (size_t)phrases);
        if (query == NULL) {
            sqlite_nio_sqlite3_result_error_nomem(result);
            return;
        }
        query->phraseCount = phrases;
        for (int phrase = 0; phrase < phrases; phrase++) query->idf[phrase] = NAN;
        int error = api->xSetAuxdata(context, query, free);
        if (error != SQLITE_OK) {
            sqlite_nio_sqlite3_result_error_code(result, error);
            return;
        }
    }
    double score = 0;
    for (int phrase = 0; phrase < phrases; phrase++) {
        double weighted = 0;
        int column = -1;
        int offset = 0;
        int counted = -1;
        int count = 0;
        Fts5PhraseIter iterator;
        // Occurrences come column by column: each column's run is saturated and weighted as it ends.
        int error = api->xPhraseFirst(context, phrase, &iterator, &column, &offset);
        if (error != SQLITE_OK) {
            sqlite_nio_sqlite3_result_error_code(result, error);
            return;
        }
        for (;;) {
            if (column != counted) {
                if (count > 0) {
                    double weight = sqlite_nio_sqlite3_value_double(weights[counted]);
                    weighted += weight * (count * (attache_rank_k1 + 1)) / (count + attache_rank_k1);
                }
                if (column < 0) break;
                counted = column;
                count = 0;
            }
            count += 1;
            api->xPhraseNext(context, &iterator, &column, &offset);
        }
        if (weighted > 0) {
            // One phrase's frequency scales every row's score alike: the order needs no count of it.
            double idf = phrases == 1 ? 1 : attache_rank_idf(api, context, query, phrase, &error);
            if (error != SQLITE_OK) {
                sqlite_nio_sqlite3_result_error_code(result, error);
                return;
            }
            score += idf * weighted;
        }
    }
    sqlite_nio_sqlite3_result_double(result, -score);
}

int attache_sqlite_add_rank_function(void *connection) {
    sqlite3 *database = connection;
    fts5_api *fts5 = NULL;
    sqlite3_stmt *statement = NULL;
    if (sqlite_nio_sqlite3_prepare_v2(database, "SELECT fts5(?1)", -1, &statement, NULL) != SQLITE_OK) return 0;
    sqlite_nio_sqlite3_bind_pointer(statement, 1, &fts5, "fts5_api_ptr", NULL);
    sqlite_nio_sqlite3_step(statement);
    sqlite_nio_sqlite3_finalize(statement);
    if (fts5 == NULL || fts5->iVersion < 2) return 0;
    return fts5->xCreateFunction(fts5, "attache_rank", NULL, attache_rank, NULL) == SQLITE_OK;
}
