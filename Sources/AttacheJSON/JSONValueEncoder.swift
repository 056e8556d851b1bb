/// The `Encoder` handed to a value's `encode(to:)`; everything it writes goes to its ``JSONOutput``.
struct JSONValueEncoder: Encoder {
    let output: JSONOutput
    /// How many objects and arrays are open around the value this encoder writes.
    let slot: Int
    var codingPath: [any CodingKey] { output.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONKeyedContainer<Key>(output: output, frame: output.open(object: true, slot: slot)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONUnkeyedContainer(output: output, frame: output.open(object: false, slot: slot))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(output: output)
    }
}
