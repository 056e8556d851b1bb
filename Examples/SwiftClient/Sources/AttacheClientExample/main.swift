import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The main flow of Attache's native API through a client swift-openapi-generator made from the server's
/// own document (`openapi.json` here is a link to it): create a record, upload a PDF to it, list, get,
/// rename, download, delete, and see the attachment gone. Prints each step; exits 1 at the first that
/// does not give the documented answer.
///
/// Usage: AttacheClientExample BASE_URL TOKEN
struct ExampleFailure: Error, CustomStringConvertible {
    var description: String
}

/// Sends the bearer token with every request.
struct BearerToken: ClientMiddleware {
    var token: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}

func step(_ name: String, _ ok: Bool, _ detail: @autoclosure () -> String = "") throws {
    guard ok else { throw ExampleFailure(description: "\(name): \(detail())") }
    print("ok  \(name)")
}

func run(baseURL: URL, token: String) async throws {
    let client = Client(serverURL: baseURL, transport: URLSessionTransport(), middlewares: [BearerToken(token: token)])

    let created = try await client.createRecord(body: .json(.init(_type: .property, title: "Keizersgracht 12")))
    guard case .created(let createdRecord) = created else { throw ExampleFailure(description: "createRecord: \(created)") }
    let record = try createdRecord.body.json
    try step("createRecord gives the record", record.title == "Keizersgracht 12")

    var content = Data("%PDF-1.7\n".utf8)
    content.append(Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
    let uploaded = try await client.uploadRecordAttachment(
        path: .init(uuid: record.uuid), query: .init(filename: "lease.pdf"), body: .binary(HTTPBody(content))
    )
    guard case .created(let createdAttachment) = uploaded, case .Attachment(let attachment) = try createdAttachment.body.json else {
        throw ExampleFailure(description: "uploadRecordAttachment: \(uploaded)")
    }
    try step("uploadRecordAttachment stores the file", attachment.name == "lease.pdf" && attachment.size == Int64(content.count))

    let listed = try await client.listRecordAttachments(path: .init(uuid: record.uuid))
    try step("listRecordAttachments lists it", try listed.ok.body.json.items.map(\.uuid) == [attachment.uuid], "\(listed)")

    let fetched = try await client.getAttachment(path: .init(uuid: attachment.uuid))
    try step("getAttachment gives its facts", try fetched.ok.body.json.sha256 == attachment.sha256, "\(fetched)")

    let renamed = try await client.updateAttachment(path: .init(uuid: attachment.uuid), body: .json(.init(description: "signed", name: "lease-signed.pdf")))
    let renamedAttachment = try renamed.ok.body.json
    try step("updateAttachment renames", renamedAttachment.name == "lease-signed.pdf" && renamedAttachment.description == "signed")

    let downloaded = try await client.downloadAttachment(path: .init(uuid: attachment.uuid))
    guard case .pdf(let body) = try downloaded.ok.body else { throw ExampleFailure(description: "downloadAttachment is not typed application/pdf: \(downloaded)") }
    let bytes = try await Data(collecting: body, upTo: 10 * 1024 * 1024)
    try step("downloadAttachment gives the bytes, typed application/pdf", bytes == content, "\(bytes.count) bytes")

    let deleted = try await client.deleteAttachment(path: .init(uuid: attachment.uuid))
    guard case .noContent = deleted else { throw ExampleFailure(description: "deleteAttachment: \(deleted)") }
    try step("deleteAttachment answers 204", true)

    let gone = try await client.getAttachment(path: .init(uuid: attachment.uuid))
    guard case .notFound(let notFound) = gone else { throw ExampleFailure(description: "getAttachment after the delete: \(gone)") }
    let problem = try notFound.body.application_problem_plus_json
    try step("a deleted attachment is a 404 problem", problem.status == 404, "\(problem)")
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let baseURL = URL(string: arguments[1]) else {
    print("usage: AttacheClientExample BASE_URL TOKEN")
    exit(2)
}
do {
    try await run(baseURL: baseURL, token: arguments[2])
    print("swift client: the main flow passed")
} catch {
    print("FAIL \(error)")
    exit(1)
}
