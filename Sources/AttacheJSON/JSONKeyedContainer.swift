/// An object's members, written in the order they come and sorted when the object closes.
struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let output: JSONOutput
    let frame: Int
    var codingPath: [any CodingKey] { output.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        output.beginMember(in: frame, key: key)
        output.appendNull()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        output.beginMember(in: frame, key: key)
        output.appendBool(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        output.beginMember(in: frame, key: key)
        output.appendString(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        output.beginMember(in: frame, key: key)
        try output.appendFloatingPoint(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        output.beginMember(in: frame, key: key)
        try output.appendFloatingPoint(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        output.beginMember(in: frame, key: key)
        try output.encodeValue(value, at: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        output.beginMember(in: frame, key: key)
        return JSONValueEncoder(output: output, slot: frame + 1).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        output.beginMember(in: frame, key: key)
        return JSONValueEncoder(output: output, slot: frame + 1).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        output.beginMember(in: frame, key: JSONSuperKey())
        return JSONValueEncoder(output: output, slot: frame + 1)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        output.beginMember(in: frame, key: key)
        return JSONValueEncoder(output: output, slot: frame + 1)
    }

    private func integer(_ value: some BinaryInteger, _ key: Key) throws {
        output.beginMember(in: frame, key: key)
        output.appendInteger(value)
    }
}

/// The key `super` that `superEncoder()` writes under, as Foundation does.
struct JSONSuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}

/// A key in the coding path for an array element (`Index 3`, as Foundation names it) or a dictionary's key.
struct JSONIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }
    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }
    init?(intValue: Int) { self.init(index: intValue) }
}
