enum SQLiteColumnError: Error {
    /// The query has no column of that name (a defect in the store's SQL).
    case missing(String)
}
