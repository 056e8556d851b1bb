public import AttacheCore
import Foundation
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
            server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()], idleTimeout: .seconds(90))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Attache"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    /// The router with every face mounted.
    public static func buildRouter(service: AttacheService, settings: ServerSettings, signer: URLSigner) -> Router<AttacheRequestContext> {
        let router = Router(context: AttacheRequestContext.self)
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ProblemMiddleware())
        let faces = FaceServices(
            service: service,
            intake: UploadIntake(service: service, maximumRequestSize: settings.maximumRequestSize),
            links: LinkBuilder(publicURL: settings.publicURL, signer: signer),
            content: ContentResponder(service: service),
            signedLinks: SignedLinkAuthorizer(service: service, signer: signer)
        )
        /// `""` or `/prefix`, the path a face is mounted under.
        func mountPath(_ face: Face) -> String {
            let prefix = settings.prefixes[face]?.trimmingCharacters(in: CharacterSet(charactersIn: "/")) ?? ""
            return prefix.isEmpty ? "" : "/" + prefix
        }
        func mount(_ face: Face) -> RouterGroup<AttacheRequestContext> {
            router.group(RouterPath(mountPath(face)))
        }
        HealthController(service: service).addRoutes(to: router)
        WebController().addRoutes(to: router)
        NativeController(faces: faces).addRoutes(to: mount(.native))
        BloxsController(faces: faces).addRoutes(to: mount(.bloxs))
        OnlyOfficeController(
            faces: faces,
            responder: OnlyOfficeResponder(format: settings.onlyOfficeWireFormat, links: faces.links, mountPath: mountPath(.onlyoffice))
        ).addRoutes(to: mount(.onlyoffice))
        PropertyDeckController(faces: faces, mountPath: mountPath(.propertydeck)).addRoutes(to: mount(.propertydeck))
        HighLevelController(faces: faces, mountPath: mountPath(.highlevel)).addRoutes(to: mount(.highlevel))
        return router
    }
}
