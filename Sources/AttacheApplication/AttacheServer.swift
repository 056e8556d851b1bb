import AttacheBloxs
import AttacheHTTP
import AttacheHighLevel
import AttacheNative
import AttacheOnlyOffice
import AttachePropertyDeck
import AttacheShare
import AttacheWeb
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
            responder: TusMethodOverrideResponder(router.buildResponder()),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [GracefulCloseHandler(limit: TimeAmount(settings.idleTimeout)), ExpectContinueHandler()],
                    idleTimeout: TimeAmount(settings.idleTimeout)
                )
            ),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Attache"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    /// An application that serves only `/metrics`, for a listen address of its own (`--metrics-address`):
    /// scrapers reach it on a private interface while the API listens publicly.
    public static func buildMetricsApplication(
        _ endpoint: MetricsEndpoint, host: String, port: Int, logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router(context: AttacheRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        let routes = FaceRoutes { router.group(RouterPath("")) }
        MetricsController(endpoint: endpoint).addRoutes(to: routes)
        routes.answerOtherMethods()
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Attache metrics"),
            logger: logger
        )
    }

    /// The router with every face mounted.
    public static func buildRouter(service: AttacheService, settings: ServerSettings, signer: URLSigner) -> Router<AttacheRequestContext> {
        let router = Router(context: AttacheRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestObservationMiddleware(metrics: service.metrics, tracesRequests: settings.tracesRequests))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: HostHeaderMiddleware())
        let faces = FaceServices(
            service: service,
            intake: UploadIntake(service: service, maximumRequestSize: settings.maximumRequestSize, idleTimeout: settings.idleTimeout),
            links: LinkBuilder(publicURL: settings.publicURL, signer: signer),
            content: ContentResponder(service: service),
            signedLinks: SignedLinkAuthorizer(service: service, signer: signer)
        )
        /// `""` or `/prefix`, the path a face is mounted under.
        func mountPath(_ face: Face) -> String {
            let prefix = settings.prefixes[face]?.trimmingCharacters(in: CharacterSet(charactersIn: "/")) ?? ""
            return prefix.isEmpty ? "" : "/" + prefix
        }
        /// Adds routes under `path`, then the answers to other methods on those paths.
        func mount(at path: String, _ addRoutes: (FaceRoutes) -> Void) {
            let routes = FaceRoutes { router.group(RouterPath(path)) }
            addRoutes(routes)
            routes.answerOtherMethods()
        }
        func mount(_ face: Face, _ addRoutes: (FaceRoutes) -> Void) {
            let path = mountPath(face)
            let routes = FaceRoutes { router.group(RouterPath(path)).add(middleware: FaceTagMiddleware(face: face)) }
            addRoutes(routes)
            routes.answerOtherMethods()
        }
        mount(at: "", HealthController(service: service, readiness: settings.readiness).addRoutes)
        if let metrics = settings.metrics {
            mount(at: "", MetricsController(endpoint: metrics).addRoutes)
        }
        func services(_ face: Face) -> FaceServices { faces.mounted(at: mountPath(face)) }
        mount(at: "", WebController(apiBase: mountPath(.native) + "/v1").addRoutes)
        mount(at: "", ShareController(faces: faces).addRoutes)
        let queryParameters = Result { try OpenAPIDocument.queryParameters() }
        mount(.native, NativeController(faces: services(.native), queryParameters: queryParameters).addRoutes)
        mount(.bloxs, BloxsController(faces: services(.bloxs)).addRoutes)
        let onlyOffice = services(.onlyoffice)
        mount(
            .onlyoffice,
            OnlyOfficeController(faces: onlyOffice, format: settings.onlyOfficeWireFormat).addRoutes
        )
        mount(.propertydeck, PropertyDeckController(faces: services(.propertydeck)).addRoutes)
        mount(.highlevel, HighLevelController(faces: services(.highlevel)).addRoutes)
        return router
    }
}
