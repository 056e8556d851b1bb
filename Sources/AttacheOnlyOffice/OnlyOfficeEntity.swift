import AttacheCore
import AttacheHTTP

/// ONLYOFFICE CRM entity types of `/api/2.0/crm/{entityType}/{entityid}/…`, each a record type.
enum OnlyOfficeEntity: String, CaseIterable {
    case contact
    case opportunity
    case `case`

    var recordType: RecordType {
        switch self {
        case .contact: .contact
        case .opportunity: .opportunity
        case .case: .case
        }
    }
}
