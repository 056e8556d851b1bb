import AttacheCore
import AttacheHTTP

/// The relation kinds of Bloxs' `/api/v1/relations/{kind}/files` paths. All share one reference space.
enum BloxsRelation: String, CaseIterable {
    case persons
    case organisations
    case owners
    case suppliers
    case estateAgents

    var recordType: RecordType {
        switch self {
        case .persons: .person
        case .organisations: .organisation
        case .owners: .owner
        case .suppliers: .supplier
        case .estateAgents: .estateAgent
        }
    }

    /// As in Bloxs' messages: "There was a problem attaching the file to the person".
    var singularName: String {
        switch self {
        case .persons: "person"
        case .organisations: "organisation"
        case .owners: "owner"
        case .suppliers: "supplier"
        case .estateAgents: "estate agent"
        }
    }
}
