import AttacheCore
import AttacheHTTP
import Hummingbird

extension NativeController {
    @Sendable func getUsage(_ request: Request, context: AttacheRequestContext) async throws -> NativeUsage {
        let principal = try context.requirePrincipal()
        return NativeUsage(try await service.usage(principal))
    }

    @Sendable func getCaller(_ request: Request, context: AttacheRequestContext) async throws -> NativeCaller {
        NativeCaller(try context.requirePrincipal(), policy: service.policy, resumable: service.resumableLimits)
    }
}
