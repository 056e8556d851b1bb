extension KeyedDecodingContainer {
    /// `nil` when the key is absent, `.some(nil)` when it is `null` (JSON bodies that clear a field).
    package func decodeNullable<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value?? {
        guard contains(key) else { return nil }
        return .some(try decodeNil(forKey: key) ? nil : decode(type, forKey: key))
    }
}
