import AttacheCore

/// What every face controller needs from the application: the core service and the HTTP helpers
/// built around it.
package struct FaceServices: Sendable {
    package let service: AttacheService
    package let intake: UploadIntake
    package let links: LinkBuilder
    package let content: ContentResponder
    package let signedLinks: SignedLinkAuthorizer

    package init(service: AttacheService, intake: UploadIntake, links: LinkBuilder, content: ContentResponder, signedLinks: SignedLinkAuthorizer) {
        self.service = service
        self.intake = intake
        self.links = links
        self.content = content
        self.signedLinks = signedLinks
    }

    /// The same services for a face mounted under `path` (its links start there).
    package func mounted(at path: String) -> FaceServices {
        FaceServices(service: service, intake: intake, links: links.mounted(at: path), content: content, signedLinks: signedLinks)
    }
}
