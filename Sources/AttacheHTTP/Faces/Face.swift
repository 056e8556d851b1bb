/// The API faces Attache speaks. Each is mounted at the root by default; a prefix moves it.
public enum Face: String, Sendable, CaseIterable, Hashable {
    case native
    case bloxs
    case onlyoffice
    case propertydeck
    case highlevel
}
