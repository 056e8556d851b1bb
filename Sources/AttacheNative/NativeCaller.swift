import AttacheCore
import AttacheHTTP
import Hummingbird

/// `GET /v1/me`: who the token speaks for and what it may send, so a client (the web page) shows
/// the tenant's name, hides what the token may not do, and refuses a file too large before sending it.
struct NativeCaller: ResponseEncodable {
    struct Tenant: Encodable {
        var slug: String
        var name: String
    }

    struct Limits: Encodable {
        /// The largest file of a one-request upload.
        var maxFileSize: Int64
        /// The largest resumable upload (as large as `maxFileSize` unless the operator allows more).
        var maxResumableSize: Int64
        /// Extensions of the allowed types, lower case (`pdf`, `jpg`, `jpeg`, …).
        var allowedExtensions: [String]
    }

    var tenant: Tenant
    /// `read`, `write` or `admin`.
    var scope: String
    var limits: Limits

    init(_ principal: Principal, policy: UploadPolicy, resumable: ResumableUploadLimits) {
        tenant = Tenant(slug: principal.tenant.slug, name: principal.tenant.name)
        scope = principal.scope.rawValue
        limits = Limits(
            maxFileSize: policy.maximumFileSize,
            maxResumableSize: resumable.maximumSize,
            allowedExtensions: policy.allowedTypes.flatMap { [$0.name] + $0.aliases }
        )
    }
}
