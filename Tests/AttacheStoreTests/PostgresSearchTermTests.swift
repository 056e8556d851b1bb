@testable import AttacheSQL
import Testing

/// How a search's terms become `tsquery` input on PostgreSQL (`SQLMetadataStore+Search`): quoted, so a
/// lexeme is never read as the query's syntax; the tenant's when the index is asked; the last term's
/// last lexeme a prefix.
@Suite("PostgreSQL search terms")
struct PostgresSearchTermTests {
    @Test func lexemesAreQuotedAndCarryTheirTenant() {
        #expect(SQLSchema.postgresQuoted("gas") == "'gas'")
        #expect(SQLSchema.postgresQuoted("it's a\\b") == #"'it\'s a\\b'"#)
        #expect(SQLSchema.postgresTenantTerm(12, lexeme: "gas") == "'t12_gas'")
        #expect(SQLMetadataStore.postgresTerm(["gas"], isPrefix: false, tenantID: 1) == "'t1_gas'")
        #expect(SQLMetadataStore.postgresTerm(["gas"], isPrefix: true, tenantID: 1) == "'t1_gas':*")
        #expect(SQLMetadataStore.postgresTerm(["ab", "cd"], isPrefix: true, tenantID: nil) == "('ab' & 'cd':*)")
    }

    @Test func headingsRankWithTheOneTermOrAnyTwo() {
        #expect(SQLMetadataStore.postgresRankingQuery(["'a'"]) == "'a'")
        #expect(SQLMetadataStore.postgresRankingQuery(["'a'", "'b'", "'c':*"]) == "('a' & 'b') | ('a' & 'c':*) | ('b' & 'c':*)")
    }
}
