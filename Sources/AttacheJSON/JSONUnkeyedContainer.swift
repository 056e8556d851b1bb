/// An array's elements, written as they come.
struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let output: JSONOutput
    let frame: Int
    var codingPath: [any CodingKey] { output.codingPath }
    var count: Int { output.count(of: frame) }

    mutating func encodeNil() throws {
        output.beginElement(in: frame)
        output.appendNull()
    }

    mutating func encode(_ value: Bool) throws {
        output.beginElement(in: frame)
        output.appendBool(value)
    }

    mutating func encode(_ value: String) throws {
        output.beginElement(in: frame)
        output.appendString(value)
    }

    mutating func encode(_ value: Double) throws {
        output.beginElement(in: frame)
        try output.appendFloatingPoint(value)
    }

    mutating func encode(_ value: Float) throws {
        output.beginElement(in: frame)
        try output.appendFloatingPoint(value)
    }

    mutating func encode(_ value: Int) throws { integer(value) }
    mutating func encode(_ value: Int8) throws { integer(value) }
    mutating func encode(_ value: Int16) throws { integer(value) }
    mutating func encode(_ value: Int32) throws { integer(value) }
    mutating func encode(_ value: Int64) throws { integer(value) }
    mutating func encode(_ value: UInt) throws { integer(value) }
    mutating func encode(_ value: UInt8) throws { integer(value) }
    mutating func encode(_ value: UInt16) throws { integer(value) }
    mutating func encode(_ value: UInt32) throws { integer(value) }
    mutating func encode(_ value: UInt64) throws { integer(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        output.beginElement(in: frame)
        if output.tracksPath {
            try output.encodeValue(value, at: JSONIndexKey(index: count - 1))
        } else {
            try output.encodeValue(value)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        output.beginElement(in: frame)
        return JSONValueEncoder(output: output, slot: frame + 1).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        output.beginElement(in: frame)
        return JSONValueEncoder(output: output, slot: frame + 1).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        output.beginElement(in: frame)
        return JSONValueEncoder(output: output, slot: frame + 1)
    }

    private func integer(_ value: some BinaryInteger) {
        output.beginElement(in: frame)
        output.appendInteger(value)
    }
}
