/// The kinds of record that files can be linked to.
///
/// The raw values are the wire names used by the native API and by the CLI.
public enum RecordType: String, Sendable, CaseIterable, Encodable, Hashable {
    case person
    case organisation
    case owner
    case supplier
    case estateAgent = "estate_agent"
    case contact
    case property
    case opportunity
    case `case`
}

extension RecordType: Decodable {
    /// Every type's wire name, for messages: `person, organisation, …`.
    public static var valueList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Decodes a wire name; anything else is refused with the names that are valid.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let type = RecordType(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be one of \(Self.valueList)")
        }
        self = type
    }
}
