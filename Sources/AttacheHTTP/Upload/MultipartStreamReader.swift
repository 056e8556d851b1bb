import AttacheCore
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Incremental `multipart/form-data` reader (RFC 7578, RFC 2046 §5.1).
///
/// Fed chunk by chunk, it returns what each chunk completed: part starts with their headers, body
/// bytes (slices of the input, not copies) and part ends. It finds delimiters with `memchr` on the
/// delimiter's first byte and keeps back only as many bytes as a delimiter split across two chunks
/// can need, so memory stays flat whatever the part size. It enforces limits on header bytes and
/// the number of parts, and ``finish()`` refuses a body that ended before its closing delimiter.
///
/// We use our own reader rather than MultipartKit 4.7.1's `MultipartParser`: that one hands out a
/// new buffer for every run of bytes up to a `\r` (about every 256 bytes of binary data), has no
/// limits and does not report truncation (measured: see BENCHMARKS.md).
///
/// ```swift
/// var reader = try MultipartStreamReader(boundary: boundary)
/// for try await chunk in request.body {
///     for event in try reader.feed(chunk) { … }
/// }
/// try reader.finish()
/// ```
package struct MultipartStreamReader {
    /// Limits that protect the server from hostile bodies.
    package struct Limits: Sendable {
        var maximumHeaderBytesPerPart = 16 * 1024
        var maximumParts = 100
        var maximumPreambleBytes = 64 * 1024
    }

    private enum State {
        /// Before the first delimiter.
        case preamble
        /// Just after a delimiter: `--` closes the body, CRLF starts a part.
        case afterDelimiter
        case headers
        case body
        /// After the closing delimiter; everything is ignored.
        case epilogue
    }

    private let limits: Limits
    /// `\r\n--boundary`: what ends a part's body.
    private let delimiter: [UInt8]
    private var state = State.preamble
    private var pending: ByteBuffer
    private var parts = 0
    private var preambleBytes = 0

    /// - Throws: `malformedUpload` for a boundary RFC 2046 does not allow.
    package init(boundary: String, limits: Limits = Limits()) throws {
        guard (1...70).contains(boundary.utf8.count), boundary.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw AttacheError(.malformedUpload, "The multipart boundary must be 1-70 printable characters.")
        }
        self.limits = limits
        self.delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter may open the body without a preceding line break.
        self.pending = ByteBuffer(string: "\r\n")
    }

    /// Parses the next chunk of the body and returns the events it completed.
    package mutating func feed(_ chunk: ByteBuffer) throws(AttacheError) -> [MultipartEvent] {
        guard state != .epilogue else { return [] }
        if pending.readableBytes == 0 {
            // Usual in a body: nothing was kept back, so the chunk is read where it is, not copied.
            pending = chunk
        } else {
            var chunk = chunk
            pending.writeBuffer(&chunk)
        }
        var events: [MultipartEvent] = []
        while try step(into: &events) {}
        keepBack()
        return events
    }

    /// Moves the bytes kept for the next chunk (a delimiter's possible start, an unfinished header
    /// block) into a buffer of their own. Compacting in place instead copied the whole buffer at every
    /// chunk, since the body slices handed out share its storage (a tenth of a 50 MB upload's profile,
    /// mostly page faults on the fresh copies).
    private mutating func keepBack() {
        if pending.readableBytes == 0 {
            pending = ByteBuffer()
            return
        }
        var kept = ByteBufferAllocator().buffer(capacity: pending.readableBytes)
        kept.writeImmutableBuffer(pending)
        pending = kept
    }

    /// Checks that the body ended with its closing delimiter. - Throws: `malformedUpload` otherwise.
    package func finish() throws(AttacheError) {
        guard state == .epilogue else {
            throw AttacheError(.malformedUpload, "The multipart body ended before its closing boundary.")
        }
    }

    /// Advances the state machine once. - Returns: whether it made progress and may continue.
    private mutating func step(into events: inout [MultipartEvent]) throws(AttacheError) -> Bool {
        switch state {
        case .preamble:
            if let index = firstDelimiter() {
                preambleBytes += index
                pending.moveReaderIndex(forwardBy: index + delimiter.count)
                state = .afterDelimiter
                return true
            }
            let skippable = max(0, pending.readableBytes - (delimiter.count - 1))
            preambleBytes += skippable
            pending.moveReaderIndex(forwardBy: skippable)
            if preambleBytes > limits.maximumPreambleBytes {
                throw AttacheError(.malformedUpload, "The body does not start with the multipart boundary.")
            }
            return false
        case .afterDelimiter:
            guard pending.readableBytes >= 2, let pair = pending.getBytes(at: pending.readerIndex, length: 2) else { return false }
            if pair == [0x2D, 0x2D] {
                state = .epilogue
                pending.clear()
                return false
            }
            guard pair == [0x0D, 0x0A] else {
                throw AttacheError(.malformedUpload, "A multipart boundary is not followed by a line break.")
            }
            pending.moveReaderIndex(forwardBy: 2)
            parts += 1
            guard parts <= limits.maximumParts else {
                throw AttacheError(.malformedUpload, "A multipart body may have at most \(limits.maximumParts) parts.")
            }
            state = .headers
            return true
        case .headers:
            guard let end = headerBlockEnd() else {
                if pending.readableBytes > limits.maximumHeaderBytesPerPart {
                    throw AttacheError(.malformedUpload, "A multipart part has more than \(limits.maximumHeaderBytesPerPart) bytes of headers.")
                }
                return false
            }
            guard end <= limits.maximumHeaderBytesPerPart, let block = pending.readString(length: end) else {
                throw AttacheError(.malformedUpload, "A multipart part has more than \(limits.maximumHeaderBytesPerPart) bytes of headers.")
            }
            pending.moveReaderIndex(forwardBy: block.isEmpty ? 2 : 4)
            events.append(.partStart(headers: try Self.parseHeaders(block)))
            state = .body
            return true
        case .body:
            if let index = firstDelimiter() {
                if index > 0, let slice = pending.readSlice(length: index) {
                    events.append(.body(slice))
                }
                pending.moveReaderIndex(forwardBy: delimiter.count)
                events.append(.partEnd)
                state = .afterDelimiter
                return true
            }
            let safe = pending.readableBytes - possibleDelimiterStart()
            if safe > 0, let slice = pending.readSlice(length: safe) {
                events.append(.body(slice))
            }
            return false
        case .epilogue:
            return false
        }
    }

    /// Offset (from the reader index) of the first complete delimiter in `pending`.
    private func firstDelimiter() -> Int? {
        pending.withUnsafeReadableBytes { buffer -> Int? in
            guard let base = buffer.baseAddress, buffer.count >= delimiter.count else { return nil }
            var offset = 0
            let last = buffer.count - delimiter.count
            return delimiter.withUnsafeBytes { needle -> Int? in
                guard let needleBase = needle.baseAddress else { return nil }
                while offset <= last {
                    guard let hit = memchr(base + offset, 0x0D, last - offset + 1) else { return nil }
                    let position = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + position, needleBase, delimiter.count) == 0 { return position }
                    offset = position + 1
                }
                return nil
            }
        }
    }

    /// How many bytes at the end of `pending` could be the start of a delimiter that the next chunk
    /// completes (`pending` holds no complete one): from the first carriage return whose bytes up to the
    /// end match the delimiter's beginning, or 0.
    private func possibleDelimiterStart() -> Int {
        pending.withUnsafeReadableBytes { buffer -> Int in
            let tail = min(buffer.count, delimiter.count - 1)
            for position in (buffer.count - tail)..<buffer.count where buffer[position] == 0x0D {
                let length = buffer.count - position
                if buffer[position...].elementsEqual(delimiter[..<length]) { return length }
            }
            return 0
        }
    }

    /// Length of the header block before its blank line (0 when the part has no headers), or `nil`
    /// when the blank line has not arrived yet.
    private func headerBlockEnd() -> Int? {
        let view = pending.readableBytesView
        if view.starts(with: [0x0D, 0x0A]) { return 0 }
        let terminator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        guard view.count >= 4 else { return nil }
        var index = view.startIndex
        while index <= view.endIndex - 4 {
            if view[index] == 0x0D, view[index..<index + 4].elementsEqual(terminator) {
                return index - view.startIndex
            }
            index += 1
        }
        return nil
    }

    /// Splits `Name: value` lines; names are lower-cased.
    private static func parseHeaders(_ block: String) throws(AttacheError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for line in block.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else {
                throw AttacheError(.malformedUpload, "A multipart part has a malformed header line.")
            }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append((name, String(value.reversed().drop { $0 == " " || $0 == "\t" }.reversed())))
        }
        return headers
    }
}
