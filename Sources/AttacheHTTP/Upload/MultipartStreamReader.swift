import AttacheCore
import Foundation
import MultipartKit
import NIOCore

/// Incremental `multipart/form-data` reader over MultipartKit 4.7.1's `MultipartParser`.
///
/// It adds what that parser lacks: limits on header bytes and part count, events that an async
/// caller can act on between chunks (the parser's callbacks are synchronous), and a check that
/// the body ended with the closing delimiter (the parser does not report truncation).
///
/// ```swift
/// var reader = try MultipartStreamReader(boundary: boundary)
/// for try await chunk in request.body {
///     for event in try reader.feed(chunk) { … }
/// }
/// try reader.finish()
/// ```
struct MultipartStreamReader {
    /// Limits that protect the server from hostile bodies.
    struct Limits: Sendable {
        var maximumHeaderBytesPerPart = 16 * 1024
        var maximumParts = 100
    }

    private let parser: MultipartParser
    private let sink: EventSink
    private let closingDelimiter: [UInt8]
    private var tail: [UInt8] = []
    private var closed = false

    /// - Throws: `malformedUpload` for a boundary RFC 2046 does not allow.
    init(boundary: String, limits: Limits = Limits()) throws {
        guard (1...70).contains(boundary.utf8.count), boundary.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw AttacheError(.malformedUpload, "The multipart boundary must be 1-70 printable characters.")
        }
        parser = MultipartParser(boundary: boundary)
        sink = EventSink(limits: limits)
        closingDelimiter = Array("--\(boundary)--".utf8)
        let sink = self.sink
        parser.onHeader = { name, value in sink.header(name: name, value: value) }
        parser.onBody = { buffer in sink.body(buffer) }
        parser.onPartComplete = { sink.partComplete() }
    }

    /// Parses the next chunk of the body and returns what it contained.
    mutating func feed(_ chunk: ByteBuffer) throws -> [MultipartEvent] {
        do {
            try parser.execute(chunk)
        } catch {
            throw AttacheError(.malformedUpload, "The multipart body is malformed.", underlying: "\(error)")
        }
        if let violation = sink.violation {
            throw violation
        }
        watchForClosingDelimiter(chunk)
        return sink.drain()
    }

    /// Checks that the body ended properly. - Throws: `malformedUpload` for a truncated body.
    func finish() throws {
        guard closed, !sink.isInsidePart else {
            throw AttacheError(.malformedUpload, "The multipart body ended before its closing boundary.")
        }
    }

    private mutating func watchForClosingDelimiter(_ chunk: ByteBuffer) {
        guard !closed else { return }
        let keep = closingDelimiter.count - 1
        var window = tail
        window.append(contentsOf: chunk.readableBytesView)
        if window.contains(closingDelimiter) {
            closed = true
        }
        tail = Array(window.suffix(keep))
    }
}

/// Collects parser callbacks as events. Used by one task only.
private final class EventSink {
    private let limits: MultipartStreamReader.Limits
    private var events: [MultipartEvent] = []
    private var headers: [(name: String, value: String)] = []
    private var headerBytes = 0
    private var parts = 0
    private(set) var isInsidePart = false
    private(set) var violation: AttacheError?

    init(limits: MultipartStreamReader.Limits) {
        self.limits = limits
    }

    func header(name: String, value: String) {
        headerBytes += name.utf8.count + value.utf8.count
        if headerBytes > limits.maximumHeaderBytesPerPart {
            violation = AttacheError(.malformedUpload, "A multipart part has more than \(limits.maximumHeaderBytesPerPart) bytes of headers.")
        }
        headers.append((name.lowercased(), value))
    }

    func body(_ buffer: ByteBuffer) {
        startPartIfNeeded()
        events.append(.body(buffer))
    }

    func partComplete() {
        startPartIfNeeded()
        events.append(.partEnd)
        isInsidePart = false
    }

    func drain() -> [MultipartEvent] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    private func startPartIfNeeded() {
        guard !isInsidePart else { return }
        isInsidePart = true
        parts += 1
        if parts > limits.maximumParts {
            violation = AttacheError(.malformedUpload, "A multipart body may have at most \(limits.maximumParts) parts.")
        }
        events.append(.partStart(headers: headers))
        headers.removeAll()
        headerBytes = 0
    }
}

extension Array<UInt8> {
    /// Whether `needle` occurs in the array.
    fileprivate func contains(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first, count >= needle.count else { return false }
        var start = startIndex
        while let candidate = self[start...].firstIndex(of: first), candidate + needle.count <= endIndex {
            if self[candidate..<candidate + needle.count].elementsEqual(needle) { return true }
            start = candidate + 1
        }
        return false
    }
}
