import AttacheCore
import AttacheHTTP
import Hummingbird

/// `GET /v1/usage`: what the caller's tenant stores, and its quota (`null`: no limit).
struct NativeUsage: ResponseEncodable {
    var bytes: Int64
    var files: Int64
    @ExplicitNull var maxBytes: Int64?
    @ExplicitNull var maxFiles: Int64?

    init(_ usage: TenantUsage) {
        bytes = usage.bytes
        files = usage.files
        maxBytes = usage.quota.maximumBytes
        maxFiles = usage.quota.maximumFiles
    }
}
