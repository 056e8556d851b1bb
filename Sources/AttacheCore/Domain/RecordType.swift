/// The kinds of record that files can be linked to.
///
/// The raw values are the wire names used by the native API and by the CLI.
public enum RecordType: String, Sendable, CaseIterable, Codable, Hashable {
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
