/// Encodes an optional as `null` when it has no value, where synthesized `Encodable` would leave the key
/// out. API shapes that document a field as "string / null" use it so the key is always present.
@propertyWrapper
package struct ExplicitNull<Value: Encodable & Sendable>: Encodable, Sendable {
    package var wrappedValue: Value?

    package init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}
