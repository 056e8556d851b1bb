import AttacheHTTP
/// The Community Server response envelope: `{count, startIndex, status, statusCode, response}`, and for
/// errors `{count: 0, status: 1, statusCode, error: {message, type, stack}}`.
struct OnlyOfficeEnvelope<Payload: Encodable>: Encodable {
    var count: Int
    var startIndex: Int = 0
    var status: Int
    var statusCode: Int
    var response: Payload?
    var error: OnlyOfficeErrorBody?
}

/// The `error` member of a failed Community Server response.
struct OnlyOfficeErrorBody: Encodable {
    var message: String
    var type: String
    var stack: String = ""
}
