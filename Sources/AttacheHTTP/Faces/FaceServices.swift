import AttacheCore

/// What every face controller needs from the application: the core service and the HTTP helpers
/// built around it.
struct FaceServices: Sendable {
    let service: AttacheService
    let intake: UploadIntake
    let links: LinkBuilder
    let content: ContentResponder
    let signedLinks: SignedLinkAuthorizer
}
