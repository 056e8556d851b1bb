import AttacheCore
import Foundation
import NIOCore

/// Streams one base64 member of a JSON upload body, such as Bloxs' `{"File": "<base64>"}`, decoding
/// base64 as it arrives so that a large file never sits whole in memory. Other members must be strings
/// or `null` and are ignored. The member name matches case-insensitively when asked to (ASP.NET's
/// model binding does).
package struct JSONBase64FileReader {
    private enum State {
        case objectStart, keyOrEnd, key, colon, value, string(isFile: Bool), escape(isFile: Bool), literal, afterValue, done
    }

    private let member: [UInt8]
    private let caseInsensitive: Bool
    private var state = State.objectStart
    private var key: [UInt8] = []
    private var base64: [UInt8] = []
    private(set) var sawFile = false

    package init(member: String, caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
        self.member = Array((caseInsensitive ? member.lowercased() : member).utf8)
    }

    /// Consumes a chunk; returns decoded file bytes that are complete so far.
    package mutating func feed(_ chunk: ByteBuffer) throws(AttacheError) -> ByteBuffer {
        var output = ByteBuffer()
        for byte in chunk.readableBytesView {
            try step(byte)
            if base64.count >= 4096 {
                try decode(into: &output, final: false)
            }
        }
        try decode(into: &output, final: false)
        return output
    }

    /// Returns the last bytes. - Throws: `malformedUpload` for an unfinished or malformed body.
    package mutating func finish() throws(AttacheError) -> ByteBuffer {
        guard case .done = state else {
            throw AttacheError(.malformedUpload, "The JSON body is incomplete.", field: fieldName)
        }
        var output = ByteBuffer()
        try decode(into: &output, final: true)
        return output
    }

    private mutating func step(_ byte: UInt8) throws(AttacheError) {
        let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        switch state {
        case .objectStart:
            if isSpace { return }
            guard byte == UInt8(ascii: "{") else { throw malformed }
            state = .keyOrEnd
        case .keyOrEnd:
            if isSpace || byte == UInt8(ascii: ",") { return }
            if byte == UInt8(ascii: "}") { state = .done; return }
            guard byte == UInt8(ascii: "\"") else { throw malformed }
            key.removeAll()
            state = .key
        case .key:
            if byte == UInt8(ascii: "\"") {
                state = .colon
            } else {
                guard key.count < 1024 else { throw malformed }
                key.append(byte)
            }
        case .colon:
            if isSpace { return }
            guard byte == UInt8(ascii: ":") else { throw malformed }
            state = .value
        case .value:
            if isSpace { return }
            if byte == UInt8(ascii: "\"") {
                let isFile = (caseInsensitive ? Array(String(decoding: key, as: UTF8.self).lowercased().utf8) : key) == member
                sawFile = sawFile || isFile
                state = .string(isFile: isFile)
            } else if byte == UInt8(ascii: "n") {
                state = .literal
            } else {
                throw malformed
            }
        case .literal:
            if byte == UInt8(ascii: ",") { state = .keyOrEnd } else if byte == UInt8(ascii: "}") { state = .done }
        case .string(let isFile):
            if byte == UInt8(ascii: "\\") {
                state = .escape(isFile: isFile)
            } else if byte == UInt8(ascii: "\"") {
                state = .afterValue
            } else if isFile, !isSpace {
                base64.append(byte)
            }
        case .escape(let isFile):
            // Base64 only ever needs `\/`; `\n`, `\r` are line breaks some encoders insert.
            if isFile, byte == UInt8(ascii: "/") { base64.append(byte) }
            state = .string(isFile: isFile)
        case .afterValue:
            if isSpace { return }
            if byte == UInt8(ascii: ",") { state = .keyOrEnd } else if byte == UInt8(ascii: "}") { state = .done } else { throw malformed }
        case .done:
            if !isSpace { throw malformed }
        }
    }

    private mutating func decode(into output: inout ByteBuffer, final: Bool) throws(AttacheError) {
        let usable = final ? base64.count : base64.count - base64.count % 4
        guard usable > 0 else { return }
        var text = String(decoding: base64[0..<usable], as: UTF8.self)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while final, text.utf8.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else {
            throw AttacheError(.invalidInput, "\(fieldName) is not valid base64.", field: fieldName)
        }
        output.writeBytes(data)
        base64.removeFirst(usable)
    }

    private var malformed: AttacheError {
        AttacheError(.malformedUpload, "The JSON body must be an object like {\"\(fieldName)\": \"<base64>\"}.", field: fieldName)
    }

    private var fieldName: String { String(decoding: member, as: UTF8.self) }
}
