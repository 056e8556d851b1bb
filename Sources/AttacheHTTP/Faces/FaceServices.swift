import AttacheCore

/// What every face controller needs from the application: the core service and the HTTP helpers
/// built around it.
struct FaceServices: Sendable {
    let service: AttacheService
    let intake: UploadIntake
    let links: LinkBuilder
    let content: ContentResponder
    let signedLinks: SignedLinkAuthorizer

    /// The same services for a face mounted under `path` (its links start there).
    func mounted(at path: String) -> FaceServices {
        FaceServices(service: service, intake: intake, links: links.mounted(at: path), content: content, signedLinks: signedLinks)
    }
}
