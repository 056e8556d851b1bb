import AttacheHTTP
/// `{data: …}` and, for lists, `{data: […], meta: {pagination: {…}}}`.
struct PropertyDeckEnvelope<Payload: Encodable>: Encodable {
    var data: Payload
    var meta: Meta?

    struct Meta: Encodable {
        var pagination: Pagination
    }

    struct Pagination: Encodable {
        var total: Int
        var count: Int
        var perPage: Int
        var currentPage: Int
        var totalPages: Int

        enum CodingKeys: String, CodingKey {
            case total, count
            case perPage = "per_page"
            case currentPage = "current_page"
            case totalPages = "total_pages"
        }
    }
}

/// PropertyDeck's error body (Laravel's): `{message}` and, for validation, `errors` by field.
struct PropertyDeckError: Encodable {
    var message: String
    var errors: [String: [String]]?
}
