import Foundation

/// A value on a hot path that writes its JSON object itself instead of through `Encodable`: no
/// container boxes, no generic calls per member. Its `Encodable` conformance must write the same
/// members (a test compares the two); keys are written as given, never renamed.
package protocol JSONWritable {
    func writeJSON(to object: inout JSONObjectWriter) throws
}

/// The members of one object being written by a ``JSONWritable``, in sorted key order (they are written
/// as they come; the test that compares the type with its `Encodable` output catches a wrong order).
/// Names are plain ASCII and written unescaped.
package struct JSONObjectWriter {
    let output: JSONOutput
    let frame: Int

    package mutating func write(_ name: StaticString, _ value: String) {
        output.beginOrderedMember(in: frame, name: name)
        output.appendString(value)
    }

    /// `null` when there is no value.
    package mutating func write(_ name: StaticString, _ value: String?) {
        output.beginOrderedMember(in: frame, name: name)
        if let value { output.appendString(value) } else { output.appendNull() }
    }

    package mutating func write(_ name: StaticString, _ value: Int64) {
        output.beginOrderedMember(in: frame, name: name)
        output.appendInteger(value)
    }

    package mutating func write(_ name: StaticString, _ value: Bool) {
        output.beginOrderedMember(in: frame, name: name)
        output.appendBool(value)
    }

    package mutating func write(_ name: StaticString, _ value: Date) {
        output.beginOrderedMember(in: frame, name: name)
        output.appendDate(value)
    }

    /// Any other value, through `Encodable`.
    package mutating func write(_ name: StaticString, _ value: some Encodable) throws {
        output.beginOrderedMember(in: frame, name: name)
        try output.encodeValue(value)
    }
}
