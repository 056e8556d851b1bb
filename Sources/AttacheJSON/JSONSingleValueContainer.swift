/// One value written where the encoder stands.
struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let output: JSONOutput
    var codingPath: [any CodingKey] { output.codingPath }

    mutating func encodeNil() throws { output.appendNull() }
    mutating func encode(_ value: Bool) throws { output.appendBool(value) }
    mutating func encode(_ value: String) throws { output.appendString(value) }
    mutating func encode(_ value: Double) throws { try output.appendFloatingPoint(value) }
    mutating func encode(_ value: Float) throws { try output.appendFloatingPoint(value) }
    mutating func encode(_ value: Int) throws { output.appendInteger(value) }
    mutating func encode(_ value: Int8) throws { output.appendInteger(value) }
    mutating func encode(_ value: Int16) throws { output.appendInteger(value) }
    mutating func encode(_ value: Int32) throws { output.appendInteger(value) }
    mutating func encode(_ value: Int64) throws { output.appendInteger(value) }
    mutating func encode(_ value: UInt) throws { output.appendInteger(value) }
    mutating func encode(_ value: UInt8) throws { output.appendInteger(value) }
    mutating func encode(_ value: UInt16) throws { output.appendInteger(value) }
    mutating func encode(_ value: UInt32) throws { output.appendInteger(value) }
    mutating func encode(_ value: UInt64) throws { output.appendInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try output.encodeValue(value) }
}
