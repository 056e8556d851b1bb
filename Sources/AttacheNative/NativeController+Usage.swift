import AttacheCore
import AttacheHTTP
import Hummingbird

extension NativeController {
    @Sendable func getUsage(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeUsage {
        let principal = context.principal
        return NativeUsage(try await service.usage(principal))
    }

    @Sendable func getCaller(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeCaller {
        NativeCaller(context.principal, policy: service.policy, resumable: service.resumableLimits)
    }
}
