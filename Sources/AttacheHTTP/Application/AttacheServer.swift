public import AttacheCore
public import Hummingbird
import HummingbirdCore
public import Logging
public import NIOCore

/// Builds the Hummingbird application that serves every face of Attache over one ``AttacheService``.
public enum AttacheServer {
    /// The application for `settings`, ready to `runService()` or to test.
    /// - Parameter onServerRunning: called with the listening channel (tests read the port from it).
    public static func buildApplication(
        service: AttacheService,
        settings: ServerSettings,
        signer: URLSigner,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = buildRouter(service: service, settings: settings, signer: signer)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()])),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Attache"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    /// The router with every face mounted.
    public static func buildRouter(service: AttacheService, settings: ServerSettings, signer: URLSigner) -> Router<AttacheRequestContext> {
        let router = Router(context: AttacheRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        let links = LinkBuilder(publicURL: settings.publicURL, signer: signer)
        let receiver = UploadReceiver(service: service, maximumRequestSize: settings.maximumRequestSize)
        HealthController(service: service).addRoutes(to: router)
        NativeController(
            service: service,
            receiver: receiver,
            links: links,
            content: ContentResponder(service: service),
            signedLinks: SignedLinkAuthorizer(service: service, signer: signer)
        ).addRoutes(to: router)
        return router
    }
}
